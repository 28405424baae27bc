import { firstNameOf, renderTemplate, type SkippedStep } from '../compliance/cadence';
import { composeBody } from '../compliance/compose';
import { analyzeContent } from '../compliance/content';
import { cadenceFields } from '../rules/cadence';
import { decide, type GateInput, type Verdict } from '../compliance/gate';
import type { ContentAnalysis } from '../compliance/types';
import type { Agent, Enrollment, LoggedText, MessageRecord } from '../ports';
import { MAX_BODY_CHARS } from './create-message';
import type { Deps } from './deps';
import { Conflict, Refused, notFound, type DomainError } from './errors';
import { loadGateInput } from './gate-input';

/**
 * What the gate would say about an upcoming step if it ran at the step's due instant with what
 * is on record now. A prediction: consent, opt-outs, double opt-in and caps may change by then,
 * and the send worker decides again with fresh reads.
 */
export type PredictedVerdict = {
  prediction: true;
  /** When the prediction was made (the clock's now). */
  predictedAt: string;
  /** The instant the gate was asked about: the step's due time. */
  at: string;
  verdict: Verdict;
  releaseAt?: string;
  reasons: string[];
  /** The text as it would leave: sender prefix and opt-out footer added. */
  body: string;
  content: ContentAnalysis;
};

export type ContactMessageView = LoggedText & { predicted?: PredictedVerdict };

export type ContactMessages = {
  phone: string;
  enrollment?: Enrollment;
  messages: ContactMessageView[];
  /** The enrollment's steps left out because their moment had passed when it started, with why. */
  skipped: SkippedStep[];
};

/**
 * `GET /v1/contacts/{phone}/messages`: every message of the contact in the order it goes out
 * (due time for drip steps, creation time otherwise); each upcoming (`scheduled`) step carries
 * its rendered text and a predicted verdict at its due time; `skipped` lists the steps the
 * enrollment left out (a closing long before it) and why.
 */
export async function listContactMessages(
  deps: Pick<Deps, 'clock' | 'stores'>,
  agent: Agent,
  phone: string,
): Promise<ContactMessages> {
  const contact = await deps.stores.contacts.get(agent.agentId, phone);
  if (contact === undefined) throw notFound(`no contact ${phone}`);
  // A cadence's steps are all created at enrollment: order by when each goes out instead.
  const goesOutAt = (message: LoggedText) => message.dueAt ?? message.createdAt;
  const messages = (await deps.stores.messages.listByContact(agent.agentId, phone)).sort((a, b) =>
    goesOutAt(a).localeCompare(goesOutAt(b)),
  );
  const upcoming = messages.filter((message): message is MessageRecord => message.status === 'scheduled');
  const first = upcoming[0];
  const skipped = contact.enrollment?.skipped ?? [];
  if (first === undefined) return { phone, enrollment: contact.enrollment, messages, skipped };

  // One round of reads for all the steps: they share agent, contact and consent.
  const { input } = await loadGateInput(deps, first, { agent });
  const predictedAt = input.at.toISOString();
  const views = messages.map((message): ContactMessageView => {
    if (message.status !== 'scheduled' || message.dueAt === undefined) return message;
    return { ...message, predicted: predict(input, message, predictedAt) };
  });
  return { phone, enrollment: contact.enrollment, messages: views, skipped };
}

function predict(now: GateInput, message: MessageRecord, predictedAt: string): PredictedVerdict {
  const at = new Date(message.dueAt as string);
  const decision = decide({
    ...now,
    at,
    body: message.body,
    // Sends recorded now say nothing about the day a step falls due.
    recentSends: [],
    agentSendsToday: 0,
    doubleOptIn: now.doubleOptIn && { ...now.doubleOptIn, isOptInRequest: message.kind === 'opt_in_request' },
  });
  return {
    prediction: true,
    predictedAt,
    at: at.toISOString(),
    verdict: decision.verdict,
    releaseAt: decision.releaseAt?.toISOString(),
    reasons: decision.receipt.reasons,
    body: decision.body,
    content: decision.receipt.content,
  };
}

/** What an edited step will be when it leaves: prefix and footer added, as carriers bill it. */
export type EditedText = {
  body: string;
  characters: number;
  segments: number;
  encoding: ContentAnalysis['encoding'];
};

const PLACEHOLDER = /\{(\w*)\}/g;
const knownPlaceholders = new Set<string>(cadenceFields);

/**
 * `PUT /v1/messages/{messageId}`: the agent edits an upcoming step before it is sent (RULES §4).
 * Only the owning agent (404 otherwise, so nothing leaks), only while `scheduled` (409). The
 * body may use the cadence placeholders (`{firstName}`…), which are filled from the contact now;
 * an unknown one is a 422, as are a body outside 1–1,600 characters once the sender's name and
 * the opt-out footer are added, and public URL shorteners. The answer shows the text exactly as
 * it will leave, with its true segment count; the edit is recorded with the previous text.
 */
export async function editScheduledMessage(
  deps: Pick<Deps, 'clock' | 'stores'>,
  agent: Agent,
  messageId: string,
  body: string,
): Promise<{ message: MessageRecord; final: EditedText; content: ContentAnalysis }> {
  const message = await deps.stores.messages.get(messageId);
  if (message === undefined || message.agentId !== agent.agentId) throw notFound(`no message ${messageId}`);
  if (message.status !== 'scheduled') throw notEditable(message);

  const typed = body.trim();
  const unknown = [...typed.matchAll(PLACEHOLDER)]
    .map((match) => match[1] ?? '')
    .filter((name) => !knownPlaceholders.has(name));
  if (unknown.length > 0) {
    throw new Refused(
      'unknown_placeholder',
      `body: ${[...new Set(unknown)].map((name) => `{${name}}`).join(', ')} is not a field that can be filled in; ` +
        `use ${cadenceFields.map((name) => `{${name}}`).join(', ')}`,
      { unknown },
    );
  }
  const contact = await deps.stores.contacts.get(agent.agentId, message.phone);
  const text = renderTemplate(typed, {
    firstName: firstNameOf(contact?.name),
    address: contact?.address,
    agentName: agent.name,
    brokerage: agent.brokerage,
    years: yearsSinceAnchor(anchorStart(contact?.enrollment, message), message.dueAt),
  });
  const finalBody = composeBody(text, agent, message.purpose);
  if (text.length === 0 || finalBody.length > MAX_BODY_CHARS) {
    throw new Refused(
      'invalid_body',
      `body must be 1 to ${MAX_BODY_CHARS} characters once the sender's name and the opt-out footer are added; ` +
        `it is ${text.length === 0 ? 0 : finalBody.length}`,
    );
  }
  const content = analyzeContent(finalBody);
  if (content.shortenerUrls.length > 0) {
    throw new Refused(
      'url_shortener',
      `public URL shorteners are refused by carriers: ${content.shortenerUrls.join(', ')}`,
      { content },
    );
  }

  const edited = await deps.stores.messages.transition(
    messageId,
    ['scheduled'],
    {
      status: 'scheduled',
      at: deps.clock.now().toISOString(),
      reasons: [`body edited by agent ${agent.agentId}; previous body: ${JSON.stringify(message.body)}`],
    },
    { body: text },
    message,
  );
  // The sweep queued it (or the contact was unenrolled) between the read and the write.
  if (edited === undefined) throw notEditable((await deps.stores.messages.get(messageId)) ?? message);
  const final: EditedText = {
    body: finalBody,
    characters: [...finalBody].length,
    segments: content.segments,
    encoding: content.encoding,
  };
  return { message: edited, final, content };
}

/** What a step counts from: the closing date for a step anchored to it, else the enrollment. */
function anchorStart(enrollment: Enrollment | undefined, message: MessageRecord): string | undefined {
  if (message.anchor === 'closing' && enrollment?.closing !== undefined) {
    return `${enrollment.closing.date}T00:00:00Z`;
  }
  return enrollment?.enrolledAt;
}

/** `{years}` of a step: whole years from its anchor (closing or enrollment) to its due time. */
function yearsSinceAnchor(from: string | undefined, dueAt: string | undefined): string | undefined {
  if (from === undefined || dueAt === undefined) return undefined;
  // Calendar years, not 365.25-day ones: a third anniversary with no leap day between is still 3.
  const [start, end] = [from.slice(0, 10), dueAt.slice(0, 10)];
  const years = Number(end.slice(0, 4)) - Number(start.slice(0, 4)) - (end.slice(5) < start.slice(5) ? 1 : 0);
  return years >= 1 ? String(years) : undefined;
}

function notEditable(message: MessageRecord): DomainError {
  return new Conflict(
    'not_editable',
    `message ${message.messageId} is ${message.status}; only scheduled steps can be edited`,
    { status: message.status },
  );
}
