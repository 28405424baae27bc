import { areaCodeEntry, areaCodesByState, newPhone, splitZoneAreaCodes, states, zipIn } from './catalogue';
import type { SeededRandom } from './prng';

/** How a contact's consent history starts (RULES §1). */
export type ConsentKind =
  /** Imported with full evidence: express written consent. */
  | 'express_import'
  /** Registered later by the agent, with express written consent logged over the API. */
  | 'express_api'
  | 'ebr_inquiry'
  | 'ebr_transaction'
  /** Imported with incomplete evidence: no consent is imported. */
  | 'import_partial'
  | 'none'
  /** The agent tries a method that is not consent (business card, public record…): refused. */
  | 'refused'
  /** Express written consent for email only: not SMS consent. */
  | 'email_only';

export type AgentPlan = {
  index: number;
  name: string;
  brokerage: string;
  senderNumber: string;
  forwardTo: string;
  doubleOptIn: boolean;
};

export type ContactPlan = {
  index: number;
  phone: string;
  name: string;
  /** The agents holding this phone as a contact (two for a shared phone), same signals for each. */
  agents: number[];
  signals: { state?: string; postalCode?: string; timeZone?: string };
  consent: ConsentKind;
  /** Accepted method for express consent, refused method for `refused`. */
  method: string;
  /** When the consent (or the closing, or the inquiry) happened, days before the run starts. */
  consentDaysBefore: number;
};

export type Population = { agents: AgentPlan[]; contacts: ContactPlan[] };

const FIRST = [
  'Ana',
  'Ben',
  'Carla',
  'Dev',
  'Elena',
  'Femi',
  'Grace',
  'Hiro',
  'Ines',
  'Jamal',
  'Kim',
  'Luis',
  'Maya',
  'Noor',
  'Omar',
  'Priya',
  'Quinn',
  'Rosa',
  'Sam',
  'Tariq',
];
const LAST = [
  'Lee',
  'Garcia',
  'Nguyen',
  'Smith',
  'Okafor',
  'Rossi',
  'Kowalski',
  'Haddad',
  'Tanaka',
  'Silva',
  'Brown',
  'Cohen',
];
const BROKERAGES = [
  'Harbor Realty',
  'Summit Homes',
  'Prairie Real Estate',
  'Coastal Keys',
  'Mesa Properties',
];
// Written methods only: a call, a meeting or a referral is oral consent (RULES §1), which intake
// refuses to record as express written consent.
const ACCEPTED = ['signed_form', 'e_sign', 'email_reply', 'social_dm', 'open_house_sheet_with_disclosure'];
const REFUSED = ['public_record', 'business_card', 'open_house_sheet', 'social_like', 'referrer_handoff'];
const ZONES = [
  'America/New_York',
  'America/Chicago',
  'America/Denver',
  'America/Phoenix',
  'America/Los_Angeles',
  'America/Anchorage',
  'Pacific/Honolulu',
];

const CONSENT_WEIGHTS: Record<ConsentKind, number> = {
  express_import: 0.5,
  express_api: 0.09,
  none: 0.14,
  import_partial: 0.08,
  ebr_inquiry: 0.07,
  ebr_transaction: 0.05,
  refused: 0.04,
  email_only: 0.03,
};

/** Agents: one per 500 contacts plus two; every fifth has double opt-in on (seed 004). */
function planAgents(random: SeededRandom, contacts: number): AgentPlan[] {
  return Array.from({ length: Math.floor(contacts / 500) + 2 }, (_, index) => ({
    index,
    name: `${random.pick(FIRST)} ${random.pick(LAST)}`,
    brokerage: random.pick(BROKERAGES),
    // Miami numbers in exchange 200: no contact is drawn from there.
    senderNumber: `+1305200${String(index).padStart(4, '0')}`,
    forwardTo: `+1786200${String(index).padStart(4, '0')}`,
    doubleOptIn: index % 5 === 1,
  }));
}

/** Where the contact is: an area code, and sometimes a state, ZIP or zone, agreeing or not. */
function planSignals(
  random: SeededRandom,
  taken: Set<string>,
): { phone: string; signals: ContactPlan['signals'] } {
  // No Canadian or Caribbean numbers: intake refuses them (RULES §3), so they never become contacts.
  const roll = random.next();
  const areaCode =
    roll < 0.17 ? random.pick(splitZoneAreaCodes) : random.pick(areaCodesByState.get(random.pick(states))!);
  const phone = newPhone(random, areaCode, taken);
  const home = areaCodeEntry(areaCode)!.states[0]!;
  const signals: ContactPlan['signals'] = {};
  const kind = random.weighted({
    areaCodeOnly: 0.45,
    sameState: 0.2,
    zipAgrees: 0.1,
    movedState: 0.1,
    movedZip: 0.07,
    zone: 0.08,
  });
  if (kind === 'sameState') signals.state = home;
  if (kind === 'zipAgrees') signals.postalCode = zipIn(random, home);
  if (kind === 'movedState') signals.state = random.pick(states);
  if (kind === 'movedZip') signals.postalCode = zipIn(random, random.pick(states));
  if (kind === 'zone') signals.timeZone = random.pick(ZONES);
  if (signals.postalCode === undefined) delete signals.postalCode;
  return { phone, signals };
}

/**
 * The synthetic agents and contacts of a run: contacts spread over every state and territory,
 * 15% on split-zone area codes (US numbers only: intake refuses the rest), a third with a
 * state, ZIP or zone (some disagreeing with the area code), 2% shared by two agents, and mixed
 * consent histories.
 */
export function planPopulation(random: SeededRandom, contactCount: number): Population {
  const agents = planAgents(random, contactCount);
  const taken = new Set<string>();
  const contacts: ContactPlan[] = Array.from({ length: contactCount }, (_, index) => {
    const { phone, signals } = planSignals(random, taken);
    const consent = random.weighted(CONSENT_WEIGHTS);
    const owner = random.int(0, agents.length - 1);
    const sharedWith = random.chance(0.02)
      ? (owner + random.int(1, agents.length - 1)) % agents.length
      : undefined;
    return {
      index,
      phone,
      name: `${random.pick(FIRST)} ${random.pick(LAST)}`,
      agents: sharedWith === undefined ? [owner] : [owner, sharedWith],
      signals,
      consent,
      method: random.pick(consent === 'refused' ? REFUSED : ACCEPTED),
      consentDaysBefore:
        consent === 'ebr_transaction'
          ? random.int(0, 700)
          : consent === 'ebr_inquiry'
            ? random.int(0, 120)
            : random.int(1, 900),
    };
  });
  return { agents, contacts };
}

/** Contacts whose consent permits automated texts from their agents. */
export function hasExpressConsent(contact: ContactPlan): boolean {
  return contact.consent === 'express_import' || contact.consent === 'express_api';
}
