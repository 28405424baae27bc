import { INBOUND_SMS_PATH, twilioMessagingUrls } from '../../handlers/twilio/webhook-urls';
import { parseWebhookUrl } from '../webhook-delivery';
import { count, type RunContext } from './context';
import { crashedWhileSending, crashWhenSending } from './crash';
import { manualText, textIn } from './act';
import type { ContactPlan } from './population';
import type { RunSnapshot } from './snapshot-types';
import { candidatesFor } from './spec/location';
import { timingBreach } from './spec/window-check';
import type { FaultEvent } from './timeline';
import { replayStatusCallbacks } from './webhooks';

const HOUR_MS = 3_600_000;
const REPLAYED_CALLBACKS = 6;
const CARRIER_TRIES = 40;

/**
 * Injects the platform faults of the plan and watches that they really happen: Twilio 5xx and
 * timeouts, status callbacks replayed out of order, a scheduler that fires twice or late (and
 * always somewhere inside the minute), a worker that dies between `sending` and Twilio's answer,
 * and an inbound webhook that answers 5xx or hangs (retried by Twilio as the URL's overrides
 * ask, or captured only through the Fallback URL).
 */
export class FaultInjector {
  /** Schedules on record since a duplicate fire was armed; one of them firing consumes it. */
  private armedDuplicate: Set<string> | undefined;
  /** A late-fire window opened at the previous slot, with the text held across it. */
  private lateWindow: { carrierId?: string; foundBefore: number } | undefined;
  /** Schedules seen pending, by name: the message each releases and where in its minute it fires. */
  private readonly seenSchedules = new Map<string, { messageId?: string; at: number; fireAt: number }>();
  /** Late-fire windows planned but waiting for a slot where a text can be held across one. */
  private lateWindowsDue = 0;
  /** Twilio timeouts planned but waiting for a slot where a text can take one. */
  private timeoutsDue = 0;

  constructor(private readonly context: RunContext) {}

  /** Called at each slot once the clock is there and everything due is settled, before its events. */
  async atSlot(faults: readonly FaultEvent[], nextSlotAt: Date | undefined): Promise<void> {
    this.watchDuplicateFire();
    if (this.lateWindow !== undefined) this.closeLateWindow(this.lateWindow);
    this.lateWindowsDue += faults.filter((fault) => fault === 'lateFiresThenCrash').length;
    this.timeoutsDue += faults.filter((fault) => fault === 'twilioTimeout').length;
    if (this.timeoutsDue > 0 && (await this.timeoutOnACarrier())) this.timeoutsDue--;
    if (this.lateWindowsDue > 0 && nextSlotAt !== undefined && (await this.openLateWindow(nextSlotAt)))
      this.lateWindowsDue--;
    for (const fault of faults) {
      switch (fault) {
        case 'twilio500':
          this.context.runtime.twilio.failNext(1, '500');
          this.context.faults.twilio5xx.injected++;
          break;
        case 'replayCallbacks':
          await this.replayCallbacks();
          break;
        case 'duplicateFire':
          if (this.armedDuplicate !== undefined) break;
          this.context.runtime.scheduler.duplicateNextFire(1);
          this.armedDuplicate = this.scheduleNames();
          this.context.faults.schedulerDuplicateFire.injected++;
          break;
        case 'lateFiresThenCrash':
          if (nextSlotAt !== undefined && this.lateWindow === undefined)
            await this.openLateWindow(nextSlotAt);
          break;
        case 'webhook5xx':
        case 'webhookTimeout':
        case 'webhookFallback':
          await this.inboundWebhookFault(fault);
          break;
      }
    }
  }

  /**
   * Notes every pending schedule (after a slot's events, before the clock moves on): EventBridge
   * Scheduler fires anywhere inside the minute of its `at()`, so each is a jitter the run meets.
   */
  watchSchedules(): void {
    for (const schedule of this.context.runtime.scheduler.list()) {
      if (schedule.firedAt !== undefined || this.seenSchedules.has(schedule.name)) continue;
      const at = schedule.at.getTime();
      const fireAt = schedule.fireAt.getTime();
      if (fireAt === at) continue;
      const messageId = messageIdOf(schedule.target.Input);
      this.seenSchedules.set(schedule.name, {
        at,
        fireAt,
        ...(messageId === undefined ? {} : { messageId }),
      });
      this.context.faults.schedulerJitter.injected++;
    }
  }

  /**
   * A contact texts in while the inbound webhook fails: once with a 5xx, once past Twilio's read
   * timeout (both retried under the URL's overrides), or on every primary attempt (only the
   * Fallback URL captures it). Half of them are revocations in words, which Twilio does not
   * handle itself: losing one would keep texting someone who asked us to stop.
   */
  private async inboundWebhookFault(
    fault: 'webhook5xx' | 'webhookTimeout' | 'webhookFallback',
  ): Promise<void> {
    const { runtime, random, faults, contactsByPhone, tainted } = this.context;
    const contacts = [...contactsByPhone.values()];
    let contact: ContactPlan | undefined;
    for (let tries = 0; tries < CARRIER_TRIES && contact === undefined; tries++) {
      const candidate = random.pick(contacts);
      if (!tainted.has(candidate.phone)) contact = candidate;
    }
    if (contact === undefined) return;
    const attempts = parseWebhookUrl(twilioMessagingUrls(runtime.baseUrl).sms).overrides.rc + 1;
    if (fault === 'webhook5xx') {
      runtime.failWebhook(INBOUND_SMS_PATH, 1, '500');
      faults.inboundWebhook5xx.injected++;
    } else if (fault === 'webhookTimeout') {
      runtime.failWebhook(INBOUND_SMS_PATH, 1, 'timeout');
      faults.inboundWebhookTimeout.injected++;
    } else {
      runtime.failWebhook(INBOUND_SMS_PATH, attempts, '500');
      faults.inboundViaFallback.injected++;
    }
    const kind = random.chance(0.5) ? 'revocation' : 'other';
    await textIn(this.context, { contact, agent: contact.agents[0]! }, kind, false);
    // The confirmation (or forward) goes out at this instant, like any slot event's.
    await runtime.settle();
  }

  /** After the run: faults seen in the records (errors on messages, opt-outs, failed callbacks). */
  observeRecords(snapshot: RunSnapshot, failing: { reject: Set<string>; callback: Set<string> }): void {
    const { faults } = this.context;
    faults.twilio5xx.observed = snapshot.messages.filter((message) => message.errorCode === '20500').length;
    faults.twilioTimeout.observed = snapshot.messages.filter(
      (message) => message.errorCode === 'timeout',
    ).length;
    faults.carrier21610Reject.injected = failing.reject.size;
    faults.carrier21610Reject.observed = distinctPhones(
      snapshot.optOuts.filter(
        (record) => record.source === 'carrier_21610' && failing.reject.has(record.phone),
      ),
      (record) => record.phone,
    );
    const sentAt = new Map(snapshot.outbox.map((send) => [send.sid, Date.parse(send.at)]));
    const messages = new Map(snapshot.messages.map((message) => [message.messageId, message]));
    faults.schedulerJitter.observed = [...this.seenSchedules.values()].filter((seen) => {
      const sid = seen.messageId === undefined ? undefined : messages.get(seen.messageId)?.twilioSid;
      return sid !== undefined && sentAt.get(sid) === seen.fireAt;
    }).length;
    const found = new Set((snapshot.reassignmentsFound ?? []).map((record) => record.phone));
    faults.numberReassigned.observed = this.context.reassignments.filter((r) => found.has(r.phone)).length;
    faults.carrier21610Callback.injected = failing.callback.size;
    faults.carrier21610Callback.observed = distinctPhones(
      snapshot.outbox.filter((send) => send.errorCode === '21610' && failing.callback.has(send.to)),
      (send) => send.to,
    );
  }

  private scheduleNames(): Set<string> {
    return new Set(this.context.runtime.scheduler.list().map((schedule) => schedule.name));
  }

  private watchDuplicateFire(): void {
    if (this.armedDuplicate === undefined) return;
    const now = this.scheduleNames();
    if ([...this.armedDuplicate].some((name) => !now.has(name))) {
      this.context.faults.schedulerDuplicateFire.observed++;
      this.armedDuplicate = undefined;
    } else {
      this.armedDuplicate = now;
    }
  }

  /**
   * A Twilio timeout must hit a text we chose, not an opt-out confirmation: it is armed with no
   * other text in flight, and a manual text the gate sends at once takes it.
   */
  private async timeoutOnACarrier(): Promise<boolean> {
    const { runtime, faults } = this.context;
    let carrier = this.carrier(runtime.clock.now(), false);
    if (carrier === undefined) return false;
    runtime.twilio.failNext(1, 'timeout');
    faults.twilioTimeout.injected++;
    for (let tries = 0; carrier !== undefined && tries < 10; tries++) {
      const accepted = await manualText(this.context, { contact: carrier, agent: carrier.agents[0]! });
      if (accepted.verdict === 'send') {
        // Settled before the slot's own texts start, so nothing else can reach Twilio first.
        await runtime.settle();
        return true;
      }
      // Held or blocked: nothing reached Twilio, the timeout is still armed for the next carrier.
      carrier = this.carrier(runtime.clock.now(), false);
    }
    count(this.context, 'faults', 'timeoutLeftArmed');
    return true;
  }

  private async replayCallbacks(): Promise<void> {
    const { runtime, faults } = this.context;
    await runtime.twilio.flushCallbacks();
    const recent = runtime.twilio
      .callbacks()
      .filter((delivery) => delivery.answer === 200)
      .slice(-REPLAYED_CALLBACKS);
    const answers = await replayStatusCallbacks(runtime, recent);
    faults.replayedStatusCallback.injected += answers.length;
    faults.replayedStatusCallback.observed += answers.filter((status) => status === 200).length;
  }

  /**
   * The scheduler fires late until an hour after the next slot. A text held now (the
   * recipient's window opens before the next slot) is then past its release with no schedule
   * firing: the reconciler's 5-minute run puts it back on the queue, and the worker that claims
   * it dies mid-send. The reconciler runs as on AWS throughout.
   */
  private async openLateWindow(nextSlotAt: Date): Promise<boolean> {
    const { runtime, faults } = this.context;
    if (this.lateWindow !== undefined) return false;
    const carrier = this.carrier(nextSlotAt, true);
    if (carrier === undefined) return false;
    const now = runtime.clock.now();
    runtime.scheduler.delayFires(nextSlotAt.getTime() - now.getTime() + HOUR_MS);
    faults.schedulerLateFire.injected++;
    this.lateWindow = { foundBefore: runtime.overdueReleasesFound() };
    const accepted = await manualText(this.context, { contact: carrier, agent: carrier.agents[0]! });
    if (accepted.verdict === 'hold') {
      this.lateWindow.carrierId = accepted.messageId;
      crashWhenSending(accepted.messageId);
      faults.workerCrash.injected++;
    }
    return true;
  }

  /** At the slot after a late-fire window: what fired late, what the reconciler found, who died. */
  private closeLateWindow(window: { carrierId?: string; foundBefore: number }): void {
    const { runtime, faults } = this.context;
    this.lateWindow = undefined;
    const now = runtime.clock.now().getTime();
    const late = runtime.scheduler
      .list()
      .filter((schedule) => schedule.firedAt === undefined && schedule.fireAt.getTime() <= now);
    const found = runtime.overdueReleasesFound() - window.foundBefore;
    if (late.length > 0 && found > 0) faults.schedulerLateFire.observed++;
    count(this.context, 'faults', 'schedulesFiredLate', late.length);
    count(this.context, 'faults', 'overdueReleasesRequeued', found);
    if (window.carrierId !== undefined && crashedWhileSending(window.carrierId))
      faults.workerCrash.observed++;
    runtime.scheduler.delayFires(0);
  }

  /**
   * A contact a manual text can go to: express consent imported on day one, an agent without
   * double opt-in, never opted out or failing, not under the FL/OK/MD cap, and — by the
   * checker's own reading of the windows — allowed at `openAt` (and not now, when `closedNow`).
   */
  private carrier(openAt: Date, closedNow: boolean): ContactPlan | undefined {
    const { random, contactsByPhone, tainted, agents, runtime } = this.context;
    const contacts = [...contactsByPhone.values()];
    const now = runtime.clock.now().getTime();
    for (let tries = 0; tries < CARRIER_TRIES; tries++) {
      const contact = random.pick(contacts);
      if (contact.consent !== 'express_import' || tainted.has(contact.phone)) continue;
      if (agents[contact.agents[0]!]!.doubleOptIn) continue;
      const candidates = candidatesFor({ phone: contact.phone, ...contact.signals });
      if (candidates.states.some((state) => ['FL', 'OK', 'MD'].includes(state))) continue;
      if (timingBreach(candidates, openAt.getTime(), 'manual') !== undefined) continue;
      if (closedNow && timingBreach(candidates, now, 'manual') === undefined) continue;
      return contact;
    }
    return undefined;
  }
}

function messageIdOf(input: string | undefined): string | undefined {
  try {
    const parsed = JSON.parse(input ?? '') as { messageId?: unknown };
    return typeof parsed.messageId === 'string' ? parsed.messageId : undefined;
  } catch {
    return undefined;
  }
}

/** How many phones `records` name: a fault seen twice on one phone was injected once. */
function distinctPhones<T>(records: readonly T[], phoneOf: (record: T) => string): number {
  return new Set(records.map(phoneOf)).size;
}
