/**
 * Logged texts as the API returns them: a schema of their own (the OpenAPI document shows it)
 * and the mapping from the stored records, so what the API promises is what this file lists —
 * never whatever the store happens to keep next to a record.
 */
import * as z from 'zod';
import { INBOUND_STATUSES, MESSAGE_STATUSES } from '../../compliance/message-lifecycle';
import type { ContentAnalysis, Purpose } from '../../compliance/types';
import type { MessageAuditPage } from '../../usecases/audit-export';
import type { EnrollmentStarted } from '../../usecases/enroll';
import type { ContactMessages, ContactMessageView, EditedText } from '../../usecases/list-contact-messages';
import type { InboundRecord, LoggedText, MessageKind, MessageRecord } from '../../ports';
import { cadenceAnchors } from '../../rules/cadence';
import { contactResponse, e164 } from './schemas';

const MESSAGE_KINDS = [
  'manual',
  'drip',
  'opt_in_request',
  'consent_request',
  'keyword_reply',
  'forward',
] as const satisfies readonly MessageKind[];
const PURPOSES = ['automated', 'manual', 'confirmation'] as const satisfies readonly Purpose[];
const verdict = z.enum(['send', 'hold', 'block']);

// Documented by its headline fields; the rest of the receipt (consent, recipient, window, caps,
// content, blackouts, number check) is the gate's and passes through as the core wrote it.
const receipt = z
  .looseObject({
    verdict,
    purpose: z.enum(PURPOSES),
    decidedAt: z.string(),
    rulesVersions: z.array(z.string()),
    reasons: z.array(z.string()),
  })
  .describe('the compliance receipt: consent relied on, recipient times, window, caps, content');

const statusChange = z.object({
  status: z.enum([...MESSAGE_STATUSES, ...INBOUND_STATUSES]),
  at: z.string(),
  reasons: z.array(z.string()).optional(),
  receipt: receipt.optional(),
  twilioSid: z.string().optional(),
  errorCode: z.string().optional(),
});

/** A text ConsentLine sent or will send, or one the contact sent (`kind: inbound`). */
export const messageResponse = z.object({
  messageId: z.string(),
  agentId: z.string(),
  phone: e164,
  kind: z.enum([...MESSAGE_KINDS, 'inbound']),
  purpose: z.enum(PURPOSES).optional().describe('absent on a received text'),
  body: z.string(),
  sentBody: z.string().optional().describe('the body as Twilio got it, prefix and footer added'),
  status: z.enum([...MESSAGE_STATUSES, ...INBOUND_STATUSES]),
  history: z.array(statusChange).describe('every status change, oldest first'),
  createdAt: z.string(),
  updatedAt: z.string(),
  receipt: receipt.optional(),
  releaseAt: z.string().optional().describe('while held: when the gate runs again'),
  twilioSid: z.string().optional(),
  errorCode: z.string().optional(),
  step: z.number().optional().describe('drip steps: the cadence step'),
  dueAt: z.string().optional().describe('drip steps: when it falls due'),
  anchor: z.enum(cadenceAnchors).optional().describe('drip steps: what its due time counts from'),
  messageSid: z.string().optional().describe('received texts: Twilio’s SID'),
  repliedBy: z.string().optional().describe('received texts: `twilio` or the id of our reply'),
});

const predicted = z.object({
  prediction: z.literal(true),
  predictedAt: z.string(),
  at: z.string().describe('the step’s due time'),
  verdict,
  releaseAt: z.string().optional(),
  reasons: z.array(z.string()),
});

/** A message in a contact's conversation; an upcoming step carries the gate's predicted verdict. */
export const contactMessageResponse = messageResponse.extend({
  predicted: predicted.optional().describe('scheduled steps: the gate’s verdict at the due time'),
});

const skippedStep = z.object({
  step: z.number(),
  anchor: z.enum(cadenceAnchors),
  dueAt: z.string(),
  reason: z.string(),
});

const enrollment = contactResponse.shape.enrollment.unwrap();

/** `GET /v1/contacts/{phone}/messages`. */
export const contactMessagesResponse = z.object({
  phone: e164,
  enrollment: enrollment.optional(),
  messages: z.array(contactMessageResponse).describe('in the order they go out'),
  skipped: z.array(skippedStep).describe('steps the enrollment left out, each with why'),
});

/** `POST /v1/contacts/{phone}/enroll`. */
export const enrollmentStartedResponse = z.object({
  enrollment,
  optInRequest: messageResponse.describe('the first text: opt-in confirmation or double opt-in request'),
  steps: z.array(messageResponse).describe('every step still ahead, scheduled'),
  skipped: z.array(skippedStep).describe('steps whose moment had passed (a closing long ago), each with why'),
});

/** `PUT /v1/messages/{id}`. */
export const messageEditedResponse = z.object({
  message: messageResponse,
  final: z
    .object({
      body: z.string(),
      characters: z.number(),
      segments: z.number(),
      encoding: z.string(),
    })
    .describe('the text exactly as it will leave: sender prefix and opt-out footer added'),
  content: z.looseObject({}).describe('its content analysis'),
});

/** A logged text as the API returns it. The webhook's lease on a received text stays inside. */
export type MessageResponse = MessageRecord | Omit<InboundRecord, 'leaseUntil'>;
export type ContactMessageResponse = MessageResponse & Pick<ContactMessageView, 'predicted'>;
export type ContactMessagesResponse = Omit<ContactMessages, 'messages'> & {
  messages: ContactMessageResponse[];
};
export type EnrollmentStartedResponse = Omit<EnrollmentStarted, 'optInRequest' | 'steps'> & {
  optInRequest: MessageResponse;
  steps: MessageResponse[];
};
export type MessageEditedResponse = { message: MessageResponse; final: EditedText; content: ContentAnalysis };
export type MessageAuditPageResponse = Omit<MessageAuditPage, 'items'> & { items: MessageResponse[] };

// The schema and the response type name the same fields: one cannot gain a field the other lacks.
type Fields = keyof MessageRecord | keyof Omit<InboundRecord, 'leaseUntil'>;
type Documented = keyof z.infer<typeof messageResponse>;
const sameFields: [Exclude<Fields, Documented>, Exclude<Documented, Fields>] extends [never, never]
  ? true
  : never = true;
void sameFields;

const MESSAGE_FIELDS = Object.keys(messageResponse.shape) as Fields[];

/** `text` with exactly the fields {@link messageResponse} documents. */
export function toMessageResponse(text: LoggedText): MessageResponse {
  const source = text as Record<string, unknown>;
  const picked: Record<string, unknown> = {};
  for (const field of MESSAGE_FIELDS) if (source[field] !== undefined) picked[field] = source[field];
  return picked as MessageResponse;
}

/** A conversation entry: the text's documented fields and, for an upcoming step, its prediction. */
export function toContactMessageResponse(view: ContactMessageView): ContactMessageResponse {
  const response: ContactMessageResponse = toMessageResponse(view);
  if (view.predicted !== undefined) response.predicted = view.predicted;
  return response;
}

/** The enrollment's answer with each text mapped to its response. */
export function toEnrollmentStartedResponse(started: EnrollmentStarted): EnrollmentStartedResponse {
  return {
    ...started,
    optInRequest: toMessageResponse(started.optInRequest),
    steps: started.steps.map(toMessageResponse),
  };
}

/** A contact's conversation with each text mapped to its response. */
export function toContactMessagesResponse(listed: ContactMessages): ContactMessagesResponse {
  return { ...listed, messages: listed.messages.map(toContactMessageResponse) };
}

/** `GET /v1/audit/messages`: one page of an agent's message log. */
export const messageAuditPageResponse = z.object({
  agentId: z.string(),
  from: z.string(),
  to: z.string(),
  phone: e164.optional(),
  items: z.array(messageResponse).describe('oldest first, each with body, receipt and status history'),
  cursor: z.string().optional().describe('present while anything may be left: follow it until absent'),
});
