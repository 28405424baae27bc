import { hasExpressConsent, type ContactPlan, type Population } from './population';
import type { SeededRandom } from './prng';
import { SLOTS_PER_DAY } from './slots';

/** What an inbound text says (RULES §2). */
export type InboundKind = 'stop' | 'revocation' | 'help' | 'start' | 'other';

/** One thing a contact or agent does at a slot; `agent` is the agent's index. */
export type ContactEvent =
  | { type: 'register'; contact: ContactPlan; agent: number }
  | { type: 'revoke'; contact: ContactPlan; agent: number }
  | { type: 'enroll'; contact: ContactPlan; agent: number }
  | { type: 'unenroll'; contact: ContactPlan; agent: number }
  | { type: 'manual'; contact: ContactPlan; agent: number }
  | { type: 'inbound'; contact: ContactPlan; agent: number; kind: InboundKind; duplicate: boolean }
  /** A manual text and, right behind it, a STOP: the text may still be on the queue. */
  | { type: 'manualThenStop'; contact: ContactPlan; agent: number }
  /** From now on Twilio refuses texts to the number with 21610 (`reject`), or fails them by callback. */
  | { type: 'fail21610'; contact: ContactPlan; agent: number; mode: 'reject' | 'callback' }
  /**
   * The carrier disconnects the number (the Reassigned Numbers Database reports it from now on);
   * after the FCC's 45-day aging it belongs to someone else. The old owner texts no more.
   */
  | { type: 'disconnect'; contact: ContactPlan; agent: number };

/** Platform faults injected at a slot, before its events. */
export type FaultEvent =
  | 'twilio500'
  | 'twilioTimeout'
  | 'replayCallbacks'
  | 'duplicateFire'
  /** The scheduler fires late until the next slot; the worker sending a text it held then dies. */
  | 'lateFiresThenCrash'
  /** The inbound webhook answers 5xx once: Twilio retries it as the URL's overrides ask. */
  | 'webhook5xx'
  /** The inbound webhook hangs past Twilio's read timeout once: retried too. */
  | 'webhookTimeout'
  /** Every primary attempt fails: only the Fallback URL captures the text. */
  | 'webhookFallback';

export type Timeline = {
  contactEvents: ContactEvent[][];
  faults: FaultEvent[][];
  /** Contacts whose first registration is a slot event, not the initial import. */
  lateContacts: Set<ContactPlan>;
};

/** The share of contacts in each scenario; each scenario happens at least once. */
export const SCENARIO_SHARES = {
  manual: 0.12,
  inbound: 0.08,
  manualThenStop: 0.005,
  nightTextThenStop: 0.007,
  stopThenStart: 0.007,
  agentRevokes: 0.01,
  enrollWithoutConsent: 0.01,
  fail21610Reject: 0.004,
  fail21610Callback: 0.004,
  reassigned: 0.002,
};

const DAY_SLOTS = SLOTS_PER_DAY;
/** The cadence's first step comes a week after the enrollment (rules/data/cadence.json). */
const FIRST_STEP_SLOTS = 7 * DAY_SLOTS;

const INBOUND_WEIGHTS: Record<InboundKind, number> = {
  stop: 0.3,
  revocation: 0.15,
  help: 0.15,
  start: 0.1,
  other: 0.3,
};

/**
 * Plans every event of the run from the population: registrations, consent, enrollments,
 * manual texts, inbound texts and faults, each at a slot. A phone does at most one thing per slot
 * (a later event moves to the next free slot; one pushed past the end does not happen), so what it
 * did is ordered in simulated time.
 */
export function planTimeline(
  random: SeededRandom,
  population: Population,
  options: { days: number; enrollShare: number },
): Timeline {
  const slotCount = options.days * SLOTS_PER_DAY;
  const contactEvents: ContactEvent[][] = Array.from({ length: slotCount }, () => []);
  const busy = new Map<string, Set<number>>();
  const lateContacts = new Set<ContactPlan>();
  // Returns the slot the event went to; one at or past `slotCount` would come after the run's
  // end, so it does not happen (piling it onto the last slot would have one phone do two things
  // at one instant, in no defined order), and neither does anything planned after it.
  const at = (slot: number, event: ContactEvent): number => {
    const taken = busy.get(event.contact.phone) ?? new Set<number>();
    busy.set(event.contact.phone, taken);
    let free = Math.max(0, slot);
    while (taken.has(free)) free++;
    if (free >= slotCount) return free;
    taken.add(free);
    contactEvents[free]!.push(event);
    return free;
  };
  const anySlot = (from = 0) => random.int(Math.min(from, slotCount - 1), slotCount - 1);
  const { contacts } = population;
  const express = contacts.filter(hasExpressConsent);
  const startSlot = new Map<ContactPlan, number>();

  for (const contact of contacts.filter((c) => c.consent === 'express_api')) {
    lateContacts.add(contact);
    const slot = random.int(0, Math.floor(slotCount * 0.85));
    for (const agent of contact.agents)
      startSlot.set(contact, at(slot, { type: 'register', contact, agent }));
  }
  const from = (contact: ContactPlan) => (startSlot.get(contact) ?? 0) + 1;
  const agentOf = (contact: ContactPlan) => random.pick(contact.agents);
  const chosen = (pool: readonly ContactPlan[], share: number, min = 1): ContactPlan[] => {
    const count = Math.min(pool.length, Math.max(min, Math.round(share * contacts.length)));
    const picked = new Set<ContactPlan>();
    while (picked.size < count) picked.add(random.pick(pool));
    return [...picked];
  };

  // Enrollments, spread over the run; double opt-in contacts answer the request, or not.
  const enrolled = chosen(express, options.enrollShare);
  const enrollSlot = new Map<ContactPlan, number>();
  for (const contact of enrolled) {
    for (const agent of contact.agents) {
      if (contact.agents.length > 1 && random.chance(0.3)) continue;
      const slot = at(anySlot(from(contact)), { type: 'enroll', contact, agent });
      if (slot < slotCount) enrollSlot.set(contact, slot);
      if (population.agents[agent]!.doubleOptIn) {
        const answer = random.weighted({ yes: 0.6, stop: 0.1, silent: 0.3 });
        if (answer !== 'silent')
          at(slot + random.int(1, 4), {
            type: 'inbound',
            contact,
            agent,
            kind: answer === 'yes' ? 'start' : 'stop',
            duplicate: random.chance(0.2),
          });
      }
      if (random.chance(0.03)) at(slot + random.int(6, 200), { type: 'unenroll', contact, agent });
    }
  }
  // Contacts the cadence will text during the run: enrolled by an agent without double opt-in
  // early enough for the first step to come before the end.
  const texted = enrolled.filter(
    (contact) =>
      enrollSlot.has(contact) &&
      enrollSlot.get(contact)! + FIRST_STEP_SLOTS < slotCount - DAY_SLOTS &&
      contact.agents.every((agent) => !population.agents[agent]!.doubleOptIn),
  );
  // Phones Twilio refuses (21610): never the ones that text in, so every STOP can be confirmed.
  // They fail from before the first step on, so the cadence's next text meets the failure.
  const failingPool = texted.length > 0 ? texted : enrolled.filter((contact) => enrollSlot.has(contact));
  for (const [share, mode] of [
    [SCENARIO_SHARES.fail21610Reject, 'reject'],
    [SCENARIO_SHARES.fail21610Callback, 'callback'],
  ] as const) {
    for (const contact of chosen(failingPool, share)) {
      const slot = enrollSlot.get(contact)! + random.int(0, FIRST_STEP_SLOTS - DAY_SLOTS);
      at(slot, { type: 'fail21610', contact, agent: contact.agents[0]!, mode });
    }
  }
  const failing = new Set(
    contactEvents
      .flat()
      .filter((event) => event.type === 'fail21610')
      .map((event) => event.contact),
  );
  const talkers = contacts.filter((contact) => !failing.has(contact));

  for (const contact of chosen(talkers, SCENARIO_SHARES.manual)) {
    for (let n = random.int(1, 2); n > 0; n--)
      at(anySlot(from(contact)), { type: 'manual', contact, agent: agentOf(contact) });
  }
  for (const contact of chosen(talkers, SCENARIO_SHARES.inbound)) {
    const kind = random.weighted(INBOUND_WEIGHTS);
    at(anySlot(from(contact)), {
      type: 'inbound',
      contact,
      agent: agentOf(contact),
      kind,
      duplicate: random.chance(0.25),
    });
  }
  const expressTalkers = talkers.filter(hasExpressConsent);
  for (const contact of chosen(expressTalkers, SCENARIO_SHARES.manualThenStop)) {
    at(anySlot(from(contact)), { type: 'manualThenStop', contact, agent: agentOf(contact) });
  }
  // A text held for the night, then a STOP before its release: the release must not send it.
  for (const contact of chosen(expressTalkers, SCENARIO_SHARES.nightTextThenStop)) {
    const agent = agentOf(contact);
    const slot = at(anySlot(from(contact)), { type: 'manual', contact, agent });
    at(slot + 1, { type: 'inbound', contact, agent, kind: 'stop', duplicate: random.chance(0.5) });
  }
  // STOP, then START to the same agent: texts from that agent only may resume.
  for (const contact of chosen(expressTalkers, SCENARIO_SHARES.stopThenStart)) {
    const agent = agentOf(contact);
    const stop = at(anySlot(from(contact)), {
      type: 'inbound',
      contact,
      agent,
      kind: 'stop',
      duplicate: false,
    });
    const start = at(stop + random.int(6, 60), {
      type: 'inbound',
      contact,
      agent,
      kind: 'start',
      duplicate: false,
    });
    for (const texter of contact.agents)
      at(start + random.int(1, 6), { type: 'manual', contact, agent: texter });
  }
  for (const contact of chosen(expressTalkers, SCENARIO_SHARES.agentRevokes)) {
    at(anySlot(from(contact)), { type: 'revoke', contact, agent: agentOf(contact) });
  }
  const withoutConsent = contacts.filter((contact) => !hasExpressConsent(contact));
  for (const contact of chosen(withoutConsent, SCENARIO_SHARES.enrollWithoutConsent)) {
    at(anySlot(from(contact)), { type: 'enroll', contact, agent: agentOf(contact) });
  }

  planReassignments(
    random,
    contactEvents,
    at,
    chosen(
      texted.filter((c) => !failing.has(c)),
      SCENARIO_SHARES.reassigned,
      2,
    ),
    enrollSlot,
  );

  return { contactEvents, faults: planFaults(random, options.days, slotCount), lateContacts };
}

/**
 * Numbers the carrier disconnects during the run. Every other one goes before its contact's
 * enrollment (an old list: the check before the first automated text finds it); the rest a few
 * weeks after (the enrollment's check said "not reassigned", and that cached answer must not
 * outlive the change). From then on the old owner sends nothing; the agent may still text it.
 */
function planReassignments(
  random: SeededRandom,
  contactEvents: ContactEvent[][],
  at: (slot: number, event: ContactEvent) => number,
  contacts: readonly ContactPlan[],
  enrollSlot: ReadonlyMap<ContactPlan, number>,
): void {
  for (const [index, contact] of contacts.entries()) {
    const enrolledAt = enrollSlot.get(contact)!;
    const before = index % 2 === 0 && enrolledAt > DAY_SLOTS;
    const slot = before
      ? random.int(Math.max(0, enrolledAt - FIRST_STEP_SLOTS), enrolledAt - DAY_SLOTS)
      : enrolledAt + random.int(FIRST_STEP_SLOTS + DAY_SLOTS, FIRST_STEP_SLOTS * 4);
    const disconnected = at(slot, { type: 'disconnect', contact, agent: contact.agents[0]! });
    for (let later = disconnected + 1; later < contactEvents.length; later++) {
      contactEvents[later] = contactEvents[later]!.filter(
        (event) => event.contact !== contact || (event.type !== 'inbound' && event.type !== 'manualThenStop'),
      );
    }
  }
}

function planFaults(random: SeededRandom, days: number, slotCount: number): FaultEvent[][] {
  const faults: FaultEvent[][] = Array.from({ length: slotCount }, () => []);
  const counts: Record<FaultEvent, number> = {
    twilio500: Math.max(3, Math.round(days / 15)),
    twilioTimeout: Math.max(2, Math.round(days / 45)),
    replayCallbacks: Math.max(3, Math.round(days / 10)),
    duplicateFire: Math.max(3, Math.round(days / 15)),
    lateFiresThenCrash: Math.max(2, Math.round(days / 30)),
    webhook5xx: Math.max(2, Math.round(days / 20)),
    webhookTimeout: Math.max(1, Math.round(days / 45)),
    webhookFallback: Math.max(2, Math.round(days / 30)),
  };
  for (const [fault, count] of Object.entries(counts) as Array<[FaultEvent, number]>) {
    // Not on the first day: there has to be traffic for a fault to hit.
    for (let n = 0; n < count; n++) faults[random.int(SLOTS_PER_DAY, slotCount - 2)]!.push(fault);
  }
  return faults;
}
