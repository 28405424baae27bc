import { utcDay } from '../compliance/cadence';
import type { MessageRecord, MessageStore } from '../ports';

const DAY_MS = 86_400_000;

/** Today's drip steps still `scheduled`, as the local runtime's clock walk sees them. */
export type DueSteps = {
  /**
   * Successful writes that put a step into `scheduled` (created, rescheduled, given back) so
   * far: at one instant, a sweep after another finds something new only if this moved.
   */
  changes(): number;
  /**
   * Writes so far that put a step into `scheduled` due before `now`'s UTC day: only a sweep from
   * its cursor finds those, as the day's map holds only today's steps.
   */
  backdated(): number;
  /** Due instants (epoch ms) of the steps still scheduled on `now`'s UTC day. */
  dueOn(now: number): Promise<number[]>;
};

/**
 * Watches `messages` (its methods are wrapped in place) so the clock walk knows when today's
 * steps fall due without asking the due index at every stop: the day's steps are read from the
 * index once, then kept exact by the writes that move a step into or out of `scheduled`, and
 * reconciled with every later read of that day's index (a sweep's). A writer outside this store
 * object is seen on the next day's read or the next sweep of the day.
 */
export function watchDueSteps(messages: MessageStore): DueSteps {
  let changes = 0;
  let backdated = 0;
  let today: { day: string; dueAt: Map<string, number> } | undefined;

  const note = (record: MessageRecord | undefined, messageId: string) => {
    const scheduled = record?.status === 'scheduled';
    const dueAt = scheduled ? Date.parse(record.dueAt ?? '') : Number.NaN;
    if (scheduled) changes++;
    if (scheduled && (today === undefined || !(dueAt >= Date.parse(`${today.day}T00:00:00Z`)))) backdated++;
    if (today === undefined) return;
    if (!Number.isNaN(dueAt) && utcDay(new Date(dueAt)) === today.day) today.dueAt.set(messageId, dueAt);
    else today.dueAt.delete(messageId);
  };

  const create = messages.create.bind(messages);
  const createFresh = messages.createFresh.bind(messages);
  const transition = messages.transition.bind(messages);
  const returnDue = messages.returnDue.bind(messages);
  const listDue = messages.listDue.bind(messages);
  messages.create = async (message, ...rest) => {
    const created = await create(message, ...rest);
    if (created) note(message, message.messageId);
    return created;
  };
  messages.createFresh = async (fresh) => {
    await createFresh(fresh);
    for (const message of fresh) note(message, message.messageId);
  };
  // A refused transition means the message is in none of `from`: if that named `scheduled`,
  // it is not scheduled any more either way.
  messages.transition = async (messageId, from, change, ...more) => {
    const moved = await transition(messageId, from, change, ...more);
    if (moved !== undefined || from.includes('scheduled')) note(moved, messageId);
    return moved;
  };
  messages.returnDue = async (step, change) => {
    const returned = await returnDue(step, change);
    if (returned !== undefined) note(returned, step.messageId);
    return returned;
  };
  messages.listDue = async (day, until) => {
    const due = await listDue(day, until);
    if (today?.day === day) {
      const listed = new Map(due.map((step) => [step.messageId, Date.parse(step.dueAt ?? '')]));
      for (const [messageId, at] of today.dueAt)
        if (at <= Date.parse(until) && !listed.has(messageId)) today.dueAt.delete(messageId);
      for (const [messageId, at] of listed) today.dueAt.set(messageId, at);
    }
    return due;
  };

  return {
    changes: () => changes,
    backdated: () => backdated,
    async dueOn(now) {
      const day = utcDay(new Date(now));
      if (today?.day !== day) {
        const endOfDay = new Date((Math.floor(now / DAY_MS) + 1) * DAY_MS - 1).toISOString();
        today = { day, dueAt: new Map() };
        // Through the wrapper: the read fills the day's map.
        await messages.listDue(day, endOfDay);
      }
      return [...today.dueAt.values()];
    },
  };
}
