import { rulesVersionsAt } from '../rules';
import { twilioKeywordRules } from '../rules/twilio-keywords';
import {
  bindingBlackouts,
  blackoutNote,
  blackoutReason,
  clearOfBlackouts,
  inForce,
  type EmergencyBlackout,
} from './blackout';
import { evaluateCaps, type RecentSend } from './caps';
import { composeBody } from './compose';
import { deriveConsent } from './consent';
import { analyzeContent } from './content';
import { isoString } from './iso-time';
import { locateRecipient } from './location';
import { describeLocalTimes, type ComplianceReceipt } from './receipt';
import type { ConsentEvent, LocationSignals, Purpose, RecipientLocation } from './types';
import { evaluateWindow } from './window';

export type DoubleOptInStatus = 'not_sent' | 'sent' | 'accepted' | 'rejected';

/** Everything the gate needs, read fresh by the caller right before the decision. */
export type GateInput = {
  at: Date;
  purpose: Purpose;
  agent: { id: string; name: string; brokerage?: string; suspended: boolean; suspendedReason?: string };
  /** Contact signals; `location` may carry an already located recipient to skip the lookup. */
  recipient: LocationSignals & { location?: RecipientLocation };
  /** This agent's ledger for the phone plus the phone's global opt-outs. */
  consentEvents: readonly ConsentEvent[];
  body: string;
  /** Sends to this phone by any agent within the last cap window. */
  recentSends?: readonly RecentSend[];
  agentSendsToday?: number;
  /** Present when the agent has double opt-in on: only the opt-in request may go before `accepted`. */
  doubleOptIn?: { status: DoubleOptInStatus; isOptInRequest: boolean };
  /** Present while Twilio's block list holds the recipient for the agent's sender: Twilio refuses every text. */
  twilioBlock?: TwilioBlockFact;
  /**
   * State-of-emergency blackouts in force now or later (RULES §3): an automated text to a
   * recipient who may be in one of their states waits until they end. Absent: none declared.
   */
  blackouts?: readonly EmergencyBlackout[];
};

/** A STOP Twilio handled for the agent's sender (number or Messaging Service), not lifted since. */
export type TwilioBlockFact = { sender: string; since: string; words: string };

export type Verdict = 'send' | 'hold' | 'block';

export type Decision = {
  verdict: Verdict;
  releaseAt?: Date;
  /** The text as it must be sent: sender prefix and opt-out footer added where needed. */
  body: string;
  receipt: ComplianceReceipt;
};

/**
 * The single gate every text passes, first when it is created and again right before Twilio:
 * block what may never go, hold what may go later (with the earliest instant every rule allows),
 * send the rest. Replies to the contact's own keyword (`confirmation`) skip consent, windows
 * and caps (RULES §2) but not content checks.
 */
export function decide(input: GateInput): Decision {
  const { at, purpose, agent } = input;
  const location = input.recipient.location ?? locateRecipient(input.recipient);
  const body = composeBody(input.body, agent, purpose);
  const content = analyzeContent(body);
  const blockReasons: string[] = [];
  const holdReasons: string[] = [];

  if (agent.suspended && purpose !== 'confirmation') {
    blockReasons.push(
      agent.suspendedReason === undefined
        ? 'account suspended pending review'
        : `account suspended pending review: ${agent.suspendedReason}`,
    );
  }

  const consent =
    purpose === 'confirmation'
      ? undefined
      : deriveConsent(input.consentEvents, {
          agentId: agent.id,
          phone: input.recipient.phone,
          channel: 'sms',
          at,
          purpose,
        });
  if (consent && !consent.permits) blockReasons.push(consentBlockReason(consent.status, purpose));

  if (input.doubleOptIn && purpose !== 'confirmation' && !input.doubleOptIn.isOptInRequest) {
    if (input.doubleOptIn.status !== 'accepted') {
      blockReasons.push(
        `double opt-in is on and the contact has not accepted (status ${input.doubleOptIn.status})`,
      );
    }
  }
  // Twilio refuses (21610) anything to a number on its block list, whatever our ledger says: a
  // consent logged by hand cannot lift it, only the contact's own START to that sender can.
  if (input.twilioBlock) blockReasons.push(twilioBlockReason(input.twilioBlock));
  if (content.shortenerUrls.length > 0) {
    blockReasons.push(`public URL shorteners are refused: ${content.shortenerUrls.join(', ')}`);
  }

  const window = evaluateWindow({ location, at, purpose });
  const caps = evaluateCaps({
    at,
    purpose,
    location,
    recentSends: input.recentSends ?? [],
    agentSendsToday: input.agentSendsToday ?? 0,
  });
  holdReasons.push(...window.reasons, ...caps.reasons);
  const binding = input.blackouts === undefined ? [] : bindingBlackouts(input.blackouts, location, purpose);
  const heldBy: EmergencyBlackout[] = [];
  for (const blackout of binding) {
    if (inForce(blackout, at.getTime())) heldBy.push(blackout);
  }
  for (const blackout of heldBy) holdReasons.push(blackoutReason(blackout));

  let verdict: Verdict = 'send';
  let releaseAt: Date | undefined;
  if (blockReasons.length > 0) {
    verdict = 'block';
  } else if (holdReasons.length > 0) {
    const fromCaps = caps.freeAt.getTime() > at.getTime();
    let next = fromCaps
      ? evaluateWindow({ location, at: caps.freeAt, purpose }).nextAllowedAt
      : window.nextAllowedAt;
    if (binding.length > 0 && next !== null) {
      const released = releaseAfterBlackouts(
        binding,
        next,
        (from) => evaluateWindow({ location, at: from, purpose }).nextAllowedAt,
      );
      next = released.at;
      for (const blackout of released.waitedFor) {
        if (heldBy.includes(blackout)) continue;
        heldBy.push(blackout);
        holdReasons.push(`the release waits for the end of ${blackoutReason(blackout)}`);
      }
    }
    if (next === null) {
      verdict = 'block';
      blockReasons.push('no allowed sending window within the search horizon');
    } else {
      verdict = 'hold';
      releaseAt = next;
    }
  }

  // Receipt instants as text, each written once: most decisions repeat `at` and the window's
  // next instant (capsFreeAt, releaseAt), and formatting an instant is a large share of a decision.
  const atMs = at.getTime();
  const decidedAt = isoString(atMs);
  const nextMs = window.nextAllowedAt?.getTime();
  const nextText = nextMs === undefined ? null : nextMs === atMs ? decidedAt : isoString(nextMs);
  const known: KnownInstants = { atMs, decidedAt, nextMs, nextText };
  const receipt: ComplianceReceipt = {
    verdict,
    purpose,
    decidedAt,
    agentId: agent.id,
    phone: input.recipient.phone,
    rulesVersions: rulesVersionsAt(at),
    consent: consent
      ? {
          status: consent.status,
          permits: consent.permits,
          reliedOn: consent.reliedOn,
          ebrExpiresAt:
            consent.ebrExpiresAt === undefined ? undefined : instantText(consent.ebrExpiresAt, known),
        }
      : {
          status: 'exempt',
          permits: true,
          note: 'reply to the contact’s own keyword (STOP, START, HELP): the one text the rules allow without consent',
        },
    recipient: {
      states: location.states,
      zones: location.zones,
      localTimes: describeLocalTimes(location, at),
    },
    window: { allowed: window.allowed, nextAllowedAt: nextText },
    capsFreeAt: instantText(caps.freeAt, known),
    content,
    releaseAt: releaseAt === undefined ? undefined : instantText(releaseAt, known),
    // Left undefined rather than spread in, so every receipt is built in one shape; JSON and the
    // stored item (undefined values removed) omit it alike.
    blackouts: verdict === 'hold' && heldBy.length > 0 ? heldBy.map(blackoutNote) : undefined,
    reasons: verdict === 'block' ? blockReasons : holdReasons,
  };
  return { verdict, releaseAt, body, receipt };
}

/** Instants a receipt is likely to quote again, with their text. */
type KnownInstants = { atMs: number; decidedAt: string; nextMs: number | undefined; nextText: string | null };

function instantText(instant: Date, known: KnownInstants): string {
  const ms = instant.getTime();
  if (ms === known.atMs) return known.decidedAt;
  return ms === known.nextMs ? known.nextText! : isoString(ms);
}

/**
 * The first instant from `next` (the earliest the other rules allow) outside every binding
 * blackout that the window allows too: past a blackout's end the next window is looked for again,
 * and that window may fall in a later blackout.
 */
function releaseAfterBlackouts(
  binding: readonly EmergencyBlackout[],
  next: Date,
  nextWindowFrom: (from: Date) => Date | null,
): { at: Date | null; waitedFor: EmergencyBlackout[] } {
  const waitedFor: EmergencyBlackout[] = [];
  let at: Date | null = next;
  // Each round passes at least one blackout's end: at most one round per blackout, plus one.
  for (let round = 0; at !== null && round <= binding.length; round++) {
    const clear = clearOfBlackouts(binding, at.getTime());
    if (clear.waitedFor.length === 0) break;
    for (const blackout of clear.waitedFor) if (!waitedFor.includes(blackout)) waitedFor.push(blackout);
    at = nextWindowFrom(new Date(clear.clearMs));
  }
  return { at, waitedFor };
}

function twilioBlockReason(block: TwilioBlockFact): string {
  const others = twilioKeywordRules.optIn.filter((keyword) => keyword !== 'START').join(', ');
  return (
    `Twilio blocks ${block.sender} for this number since ${block.since} ("${block.words.trim()}"); ` +
    `only the contact texting START (or ${others}) to ${block.sender} lifts it`
  );
}

function consentBlockReason(status: string, purpose: Purpose): string {
  switch (status) {
    case 'opted_out':
      return 'the number is on the global opt-out list';
    case 'revoked':
      return 'the contact revoked consent for this agent';
    case 'number_reassigned':
      return 'the number was reassigned to a new owner after every consent on record (FCC Reassigned Numbers Database)';
    case 'express_oral':
    case 'ebr_inquiry':
    case 'ebr_transaction':
      return `${status} does not permit ${purpose} texts; express written consent is required`;
    default:
      return `no consent on record that permits ${purpose} texts`;
  }
}
