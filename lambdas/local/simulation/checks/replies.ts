import type { AgentFact, LoggedMessage, OutboxSend } from '../snapshot-types';

/** RULES §2: a keyword reply or forward answers a text the contact just sent. */
const REPLY_WINDOW_MS = 5 * 60_000;

export type ReplyVerdict =
  /** Answers one inbound text no other reply answered. */
  | { verdict: 'exempt' }
  /** Every inbound text it could answer was answered already: the contact got it twice. */
  | { verdict: 'duplicate'; detail: string }
  /** No inbound text it could answer: it gets no exemption. */
  | { verdict: 'unanswered' };

/**
 * Pairs keyword replies and forwards with the inbound texts they answer, one to one, in time
 * order: a reply to `to` from the agent's number within 5 minutes of a text from `to`; a forward
 * to the agent's own phone within 5 minutes of a text whose sender it names.
 */
export class ReplyMatcher {
  private readonly inboundByAgent = new Map<string, LoggedMessage[]>();
  private readonly answered = new Set<string>();

  constructor(messages: readonly LoggedMessage[]) {
    for (const message of messages) {
      if (message.kind !== 'inbound') continue;
      const list = this.inboundByAgent.get(message.agentId) ?? [];
      list.push(message);
      this.inboundByAgent.set(message.agentId, list);
    }
    for (const list of this.inboundByAgent.values())
      list.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  /** Call in time order of the sends. */
  match(send: OutboxSend, kind: 'keyword_reply' | 'forward', agent: AgentFact): ReplyVerdict {
    const atMs = Date.parse(send.at);
    const candidates = (this.inboundByAgent.get(agent.agentId) ?? []).filter((inbound) => {
      const receivedMs = Date.parse(inbound.createdAt);
      if (receivedMs > atMs || receivedMs < atMs - REPLY_WINDOW_MS) return false;
      return kind === 'keyword_reply'
        ? inbound.phone === send.to
        : send.to === agent.forwardTo && send.body.includes(inbound.phone);
    });
    const open = candidates.find((inbound) => !this.answered.has(inbound.messageId));
    if (open !== undefined) {
      this.answered.add(open.messageId);
      return { verdict: 'exempt' };
    }
    if (candidates.length > 0) {
      return { verdict: 'duplicate', detail: `a second ${kind} to inbound ${candidates[0]!.messageId}` };
    }
    return { verdict: 'unanswered' };
  }
}

const OPT_IN = new Set(['start', 'unstop', 'yes']);

/** RULES §2 opt-in keywords: the whole message, case and punctuation ignored. */
export function isOptInKeyword(body: string): boolean {
  return OPT_IN.has(
    body
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s]/gu, '')
      .trim(),
  );
}
