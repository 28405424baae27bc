import * as z from 'zod';
import data from './data/twilio-keywords.json';
import { loadRules, versioned } from './schema';

const keyword = z.string().regex(/^[A-Z]+$/, 'one upper-case word: Twilio matches single words only');
const kind = z.enum(['opt_out', 'opt_in', 'help']);

const schema = versioned.extend({
  /**
   * How Twilio matches: the whole message, surrounding whitespace trimmed, any case. "STOP
   * PLEASE" or "Stop." are not matched (https://help.twilio.com/articles/223134027).
   */
  match: z.literal('whole_message_trimmed_any_case'),
  /** Put the contact on the sender's block list and answer with Twilio's opt-out confirmation. */
  optOut: z.array(keyword).min(1),
  /** Lift the sender's block and answer with Twilio's opt-in confirmation. */
  optIn: z.array(keyword).min(1),
  /** Answered with Twilio's help text; no block change. */
  help: z.array(keyword).min(1),
  /** `OptOutType` values of a Messaging Service with Advanced Opt-Out, and what each means. */
  optOutTypes: z.record(z.string().regex(/^[A-Z]+$/), kind),
  /** Twilio's own answers when Advanced Opt-Out does not replace them (the stand-in sends these). */
  defaultReplies: z.object({ optOut: z.string().min(1), optIn: z.string().min(1), help: z.string().min(1) }),
});

export type TwilioKeywordRules = z.infer<typeof schema>;
export type TwilioKeywordKind = z.infer<typeof kind>;

/** The keywords Twilio itself handles on US long codes and Messaging Services (RULES §2). */
export const twilioKeywordRules = loadRules('twilio-keywords', schema, data);
