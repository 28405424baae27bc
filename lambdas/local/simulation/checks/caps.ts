import { CAPS } from '../spec/windows';
import type { Violation } from './violation';

/** A non-exempt text handed to Twilio, as the caps count it. */
export type CountedSend = {
  atMs: number;
  automated: boolean;
  sid: string;
  messageId?: string;
  agentId?: string;
};

/**
 * RULES §3 caps over one phone's sends (every agent): in any rolling 24 h, at most 3 texts when
 * the phone may be in FL, OK or MD, and at most 1 automated text anywhere. Each send that goes
 * over a cap is one breach.
 */
export function capBreaches(
  phone: string,
  states: readonly string[],
  sends: readonly CountedSend[],
): Violation[] {
  const strict = states.some((state) => CAPS.strictStates.includes(state));
  const sorted = [...sends].sort((a, b) => a.atMs - b.atMs);
  const breaches: Violation[] = [];
  let start = 0;
  for (let index = 0; index < sorted.length; index++) {
    const send = sorted[index]!;
    while (sorted[start]!.atMs <= send.atMs - CAPS.windowMs) start++;
    const window = sorted.slice(start, index + 1);
    const automated = window.filter((counted) => counted.automated).length;
    const breach = (detail: string): Violation => ({
      kind: 'capBreaches',
      phone,
      at: new Date(send.atMs).toISOString(),
      detail,
      sid: send.sid,
      ...(send.messageId === undefined ? {} : { messageId: send.messageId }),
      ...(send.agentId === undefined ? {} : { agentId: send.agentId }),
    });
    if (strict && window.length > CAPS.strictMax) {
      breaches.push(breach(`${window.length} texts in 24 h to a FL/OK/MD number (max ${CAPS.strictMax})`));
    } else if (send.automated && automated > CAPS.automatedMax) {
      breaches.push(breach(`${automated} automated texts in 24 h (max ${CAPS.automatedMax})`));
    }
  }
  return breaches;
}
