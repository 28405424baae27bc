import type { MessageRecord } from '../../ports';

/** A worker dying on purpose: thrown between `sending` and Twilio's answer. */
export class SimulatedCrash extends Error {
  override readonly name = 'SimulatedCrash';
}

const doomed = new Set<string>();
const crashed = new Set<string>();

/** Fault: the send worker that next claims `messageId` for sending dies before calling Twilio. */
export function crashWhenSending(messageId: string): void {
  doomed.add(messageId);
}

/** Whether a worker died sending `messageId` (see {@link crashWhenSending}). */
export function crashedWhileSending(messageId: string): boolean {
  return crashed.has(messageId);
}

/**
 * The send workers' hook for {@link crashWhenSending}: message ids are unique, so runs in the
 * same process do not see each other's faults.
 */
export async function crashIfDoomed(message: MessageRecord): Promise<void> {
  if (!doomed.delete(message.messageId)) return;
  crashed.add(message.messageId);
  throw new SimulatedCrash(`worker dies sending ${message.messageId}`);
}
