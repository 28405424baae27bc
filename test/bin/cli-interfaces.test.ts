import { createConsentLineClient, type ConsentLineClient } from '../../lambdas/client';
import type { LocalRuntime } from '../../lambdas/local/runtime';
import { startTestRuntime } from '../e2e/runtime-fixture';
import { runCli } from './cli-run';

// Tuesday 11:00 in New York.
const DAY1 = new Date('2026-03-10T15:00:00.000Z');

let runtime: LocalRuntime;
let env: Record<string, string>;
let agent: ConsentLineClient;

beforeAll(async () => {
  runtime = await startTestRuntime({ clockStart: DAY1 });
  env = { CONSENTLINE_URL: runtime.baseUrl, CONSENTLINE_KEY: runtime.demo!.apiKey };
  agent = createConsentLineClient({ baseUrl: runtime.baseUrl, apiKey: runtime.demo!.apiKey });
}, 60_000);

afterAll(async () => {
  await runtime?.stop();
});

const run = (argv: string[], extra: Record<string, string> = {}, opts: { tty?: boolean } = {}) =>
  runCli(argv, { ...env, ...extra }, opts);

describe('consentline contacts list / search', () => {
  const phones = ['+17185550101', '+17185550102', '+17185550103'];

  beforeAll(async () => {
    await agent.contacts.put(phones[0]!, { name: 'Maria Gonzalez', state: 'NY' });
    await agent.contacts.put(phones[1]!, { name: 'Mark Chen', state: 'NY' });
    await agent.contacts.put(phones[2]!, { name: 'Ruth Baker', state: 'NY' });
    await agent.consent.append(phones[1]!, {
      type: 'express_written',
      method: 'signed_form',
      at: '2026-03-01T10:00:00Z',
      capturedBy: 'Dana',
      evidence: 'signed',
    });
  });

  it('lists contacts with their badges, a page at a time, and prints how to get the next page', async () => {
    // act
    const first = await run(['contacts', 'list', '--limit', '2']);

    // assess
    expect(first.code).toBe(0);
    const lines = first.stdout.trimEnd().split('\n');
    const cursorLine = lines.at(-1) as string;
    expect(cursorLine).toMatch(/^next page: --cursor \S+$/);
    const next = await run(['contacts', 'list', '--limit', '100', '--cursor', cursorLine.split(' ').at(-1)!]);
    expect(next.code).toBe(0);
    const all = [...lines.slice(0, -1), ...next.stdout.trimEnd().split('\n')].join('\n');
    for (const phone of phones) expect(all.split(phone)).toHaveLength(2);
  });

  it('filters the list by badge', async () => {
    // act
    const result = await run(['contacts', 'list', '--badge', 'consented', '--json']);

    // assess
    expect(result.code).toBe(0);
    const page = JSON.parse(result.stdout);
    expect(page.items.map((item: { contact: { phone: string } }) => item.contact.phone)).toEqual([phones[1]]);
  });

  it('searches by name, any case', async () => {
    // act
    const result = await run(['contacts', 'search', 'MAR']);

    // assess
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Maria Gonzalez');
    expect(result.stdout).toContain('Mark Chen');
    expect(result.stdout).not.toContain('Ruth Baker');
    expect(result.stdout).toMatch(/\+17185550102 {2}consented +Mark Chen/);
  });

  it('exits 2 for a badge that does not exist', async () => {
    // act
    const result = await run(['contacts', 'list', '--badge', 'maybe']);

    // assess
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("option '--badge <badge>' argument 'maybe' is invalid");
  });
});
