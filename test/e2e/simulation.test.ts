import type { LocalRuntime } from '../../lambdas/local/runtime';
import { VIOLATION_KINDS } from '../../lambdas/local/simulation/checker';
import { FAULT_KINDS } from '../../lambdas/local/simulation/context';
import {
  runSimulation,
  SIMULATION_RUNTIME_OPTIONS,
  type SimulationResult,
} from '../../lambdas/local/simulation/simulation';
import { startTestRuntime } from './runtime-fixture';

// A Monday in mid-December: the 60 days cross Christmas, New Year's Day and MLK Day.
const START = new Date('2026-12-14T00:00:00Z');

let runtime: LocalRuntime;
let result: SimulationResult;

beforeAll(async () => {
  runtime = await startTestRuntime({ clockStart: START, ...SIMULATION_RUNTIME_OPTIONS });
  result = await runSimulation({ contacts: 300, days: 60, seed: 42, runtime });
}, 420_000); // the walk stops at every 5-minute sweep tick a step is due at, as on AWS

afterAll(async () => {
  await runtime?.stop();
});

describe('runSimulation (300 contacts, 60 days, faults injected)', () => {
  it('breaks no rule the independent checker counts', () => {
    // prepare: the run in beforeAll

    // act
    const broken = VIOLATION_KINDS.filter((kind) => result.check.counts[kind] !== 0);

    // assess
    expect(result.check.violations.slice(0, 10)).toEqual([]);
    expect(broken).toEqual([]);
    expect(result.unexpectedErrors).toEqual({ count: 0, first: [] });
  });

  it('really injects every fault it claims to survive', () => {
    // prepare: the run in beforeAll

    // act
    const neverHappened = FAULT_KINDS.filter((kind) => result.faults[kind].observed === 0);

    // assess
    expect(neverHappened).toEqual([]);
  });

  it('drives real traffic: texts sent, held, blocked, replied to and refused', () => {
    // prepare: the run in beforeAll

    // act
    const { messagesByStatus, actions, check } = result;

    // assess
    expect(check.sends).toBeGreaterThan(100);
    expect(check.exemptSends).toBeGreaterThan(5);
    expect(result.reassignments.length).toBeGreaterThan(0);
    expect(result.lookups.reassigned).toBeGreaterThan(0);
    expect(messagesByStatus.blocked).toBeGreaterThan(0);
    expect(messagesByStatus.needs_review).toBeGreaterThan(0);
    expect(actions.manual?.hold).toBeGreaterThan(0);
    expect(actions.enroll?.['422 consent_required']).toBeGreaterThan(0);
    expect(actions.consent?.['refused.422']).toBeGreaterThan(0);
  });
});
