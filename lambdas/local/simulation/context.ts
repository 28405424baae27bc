import { createConsentLineClient, type ConsentLineClient } from '../../client';
import type { LocalRuntime } from '../runtime';
import type { AgentPlan, ContactPlan } from './population';
import type { SeededRandom } from './prng';
import type { PhoneText, Reassignment } from './snapshot-types';

/** An agent as created on the runtime, with its own API client. */
export type LiveAgent = AgentPlan & { agentId: string; api: ConsentLineClient };

/** What the run did, by action and outcome (`enroll.consent_required: 12`). */
export type Tally = Record<string, Record<string, number>>;

/** The faults a run injects (RULES-independent platform failures). */
export const FAULT_KINDS = [
  'twilio5xx',
  'twilioTimeout',
  'carrier21610Reject',
  'carrier21610Callback',
  'duplicateInboundWebhook',
  'replayedStatusCallback',
  'workerCrash',
  'schedulerDuplicateFire',
  'schedulerLateFire',
  'schedulerJitter',
  'inboundWebhook5xx',
  'inboundWebhookTimeout',
  'inboundViaFallback',
  'twilioKeywordReply',
  'numberReassigned',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** `injected`: how often the run set the fault up; `observed`: how often it demonstrably happened. */
export type FaultCounts = Record<FaultKind, { injected: number; observed: number }>;

/** Everything the run's steps share. */
export type RunContext = {
  runtime: LocalRuntime;
  random: SeededRandom;
  agents: LiveAgent[];
  contactsByPhone: Map<string, ContactPlan>;
  tally: Tally;
  faults: FaultCounts;
  /** Phones that opted out, revoked or fail with 21610: never a fault carrier. */
  tainted: Set<string>;
  /** Unexpected API errors (first 20 kept), with the event that met them. */
  errors: { count: number; first: string[] };
  /** Counter for unique manual texts. */
  textNumber: number;
  /** Every text a phone sent, as the phone knows it (the checker's ground truth for inbound). */
  phoneTexts: PhoneText[];
  /** Numbers the run reassigned to someone else (FCC: disconnected, then aged before reuse). */
  reassignments: Reassignment[];
};

export function newContext(
  runtime: LocalRuntime,
  random: SeededRandom,
  contacts: readonly ContactPlan[],
): RunContext {
  return {
    runtime,
    random,
    agents: [],
    contactsByPhone: new Map(contacts.map((contact) => [contact.phone, contact])),
    tally: {},
    faults: Object.fromEntries(
      FAULT_KINDS.map((kind) => [kind, { injected: 0, observed: 0 }]),
    ) as FaultCounts,
    tainted: new Set(),
    errors: { count: 0, first: [] },
    textNumber: 0,
    phoneTexts: [],
    reassignments: [],
  };
}

export function count(context: RunContext, action: string, outcome: string, by = 1): void {
  const outcomes = (context.tally[action] ??= {});
  outcomes[outcome] = (outcomes[outcome] ?? 0) + by;
}

export function unexpected(context: RunContext, what: string, error: unknown): void {
  context.errors.count++;
  if (context.errors.first.length < 20) {
    context.errors.first.push(`${what}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

export function adminClient(runtime: LocalRuntime): ConsentLineClient {
  return createConsentLineClient({ baseUrl: runtime.baseUrl, apiKey: runtime.adminKey });
}

export function agentClient(runtime: LocalRuntime, apiKey: string): ConsentLineClient {
  return createConsentLineClient({ baseUrl: runtime.baseUrl, apiKey });
}
