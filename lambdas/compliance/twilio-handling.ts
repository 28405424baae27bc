import { twilioKeywordRules, type TwilioKeywordKind } from '../rules/twilio-keywords';
import { classifyInbound } from './keywords';
import type { InboundClassification, InboundKind } from './types';

export type { TwilioKeywordKind } from '../rules/twilio-keywords';

const byKeyword = new Map<string, TwilioKeywordKind>([
  ...twilioKeywordRules.optOut.map((word) => [word, 'opt_out'] as const),
  ...twilioKeywordRules.optIn.map((word) => [word, 'opt_in'] as const),
  ...twilioKeywordRules.help.map((word) => [word, 'help'] as const),
]);

/**
 * The keyword Twilio handles by itself in `body`, if any: the whole message, surrounding
 * whitespace trimmed, in any case, must be one of Twilio's keywords
 * (https://help.twilio.com/articles/223134027: "Only single-word messages will trigger the block").
 * @example twilioKeyword(' stop\n') // 'opt_out'
 * @example twilioKeyword('Stop.') // undefined: ConsentLine answers it itself
 */
export function twilioKeyword(body: string): TwilioKeywordKind | undefined {
  return byKeyword.get(body.trim().toUpperCase());
}

/** What an `OptOutType` webhook field (Advanced Opt-Out) says Twilio did; undefined when absent or unknown. */
export function optOutTypeKind(optOutType: string | undefined): TwilioKeywordKind | undefined {
  if (optOutType === undefined) return undefined;
  return twilioKeywordRules.optOutTypes[optOutType.trim().toUpperCase()];
}

/** Who answers the contact's text: Twilio did already, ConsentLine must, or nobody (a forward to the agent). */
export type ReplyBy = 'twilio' | 'consentline' | 'none';

/** How ConsentLine reads an inbound text once Twilio's own handling is taken into account. */
export type InboundReading = {
  /** ConsentLine's own classification of the words. */
  classification: InboundClassification;
  /** What ConsentLine acts on: the stricter of its reading and Twilio's. */
  act: InboundKind;
  /** What Twilio did with the text itself (its reply and its block list), and how we know. */
  twilio?: { kind: TwilioKeywordKind; via: 'opt_out_type' | 'keyword_rule' };
  replyBy: ReplyBy;
  /** Set when `OptOutType` and ConsentLine's reading disagree: it is logged. */
  mismatch?: string;
};

const isOptOutKind = (kind: InboundKind): boolean => kind === 'opt_out' || kind === 'revocation';

/**
 * Combines ConsentLine's classification with what Twilio did (RULES §2: exactly one reply reaches
 * the phone whoever sends it). `OptOutType` is authoritative about Twilio's reply when present;
 * without it Twilio's documented keyword rule decides. The stricter reading wins: an opt-out from
 * either side is an opt-out; consent is only recorded when ConsentLine itself reads an opt-in.
 * ConsentLine replies only when Twilio did not already answer that same kind.
 *
 * @example readInbound('STOP').replyBy // 'twilio'
 * @example readInbound('please stop texting me').replyBy // 'consentline'
 */
export function readInbound(body: string, optOutType?: string): InboundReading {
  const classification = classifyInbound(body);
  const fromField = optOutTypeKind(optOutType);
  const byRule = twilioKeyword(body);
  const twilio =
    fromField !== undefined
      ? { kind: fromField, via: 'opt_out_type' as const }
      : optOutType === undefined && byRule !== undefined
        ? { kind: byRule, via: 'keyword_rule' as const }
        : undefined;
  const act = stricter(classification.kind, twilio?.kind);
  const mismatch =
    optOutType !== undefined && !agrees(classification.kind, fromField)
      ? `OptOutType ${optOutType} but ConsentLine reads ${classification.kind}${classification.matched ? ` (${classification.matched})` : ''}; acting on ${act}`
      : undefined;
  return {
    classification,
    act,
    ...(twilio ? { twilio } : {}),
    replyBy: replyBy(act, twilio?.kind),
    ...(mismatch ? { mismatch } : {}),
  };
}

function stricter(own: InboundKind, twilio: TwilioKeywordKind | undefined): InboundKind {
  if (isOptOutKind(own)) return own;
  if (twilio === 'opt_out') return 'opt_out';
  if (own !== 'other') return own;
  // Twilio answered a help keyword ConsentLine does not know (an Advanced Opt-Out custom one):
  // it is a help request. A custom opt-in keyword is not consent ConsentLine can prove: forwarded.
  return twilio === 'help' ? 'help' : 'other';
}

function agrees(own: InboundKind, twilio: TwilioKeywordKind | undefined): boolean {
  if (twilio === undefined) return false;
  return twilio === 'opt_out' ? isOptOutKind(own) : own === twilio;
}

function replyBy(act: InboundKind, twilio: TwilioKeywordKind | undefined): ReplyBy {
  if (act === 'other') return 'none';
  const answered = isOptOutKind(act) ? 'opt_out' : act;
  return twilio === answered ? 'twilio' : 'consentline';
}
