import { sendMessage } from '../../usecases/send-message';
import { count, type RunContext } from './context';
import { manualText } from './act';
import type { ContactPlan } from './population';
import type { RunSnapshot } from './snapshot-types';
import { candidatesFor } from './spec/location';
import { timingBreach } from './spec/window-check';
import type { FaultEvent } from './timeline';
import { replayStatusCallbacks } from './webhooks';

const HOUR_MS = 3_600_000;
const REPLAYED_CALLBACKS = 6;
const CARRIER_TRIES = 40;

class SimulatedCrash extends Error {
  override readonly name = 'SimulatedCrash';
}

/**
 * Injects the platform faults of the plan and watches that they really happen: Twilio 5xx and
 * timeouts, status callbacks replayed out of order, a scheduler that fires twice or late, and a
 * worker that dies between `sending` and Twilio's answer.
 */
export class FaultInjector {
  /** Schedules on record since a duplicate fire was armed; one of them firing consumes it. */
  private armedDuplicate: Set<string> | undefined;
  /** A late-fire window opened at the previous slot, with the text held across it. */
  private lateWindow: { carrierId?: string } | undefined;
  /** Late-fire windows planned but waiting for a slot where a text can be held across one. */
  private lateWindowsDue = 0;
  /** Twilio timeouts planned but waiting for a slot where a text can take one. */
  private timeoutsDue = 0;

  constructor(private readonly context: RunContext) {}

  /** Called at each slot once the clock is there and everything due is settled, before its events. */
  async atSlot(faults: readonly FaultEvent[], nextSlotAt: Date | undefined): Promise<void> {
    this.watchDuplicateFire();
    if (this.lateWindow !== undefined) await this.crashOnReleasedText(this.lateWindow);
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
      }
    }
  }

  /** After the run: faults seen in the records (errors on messages, opt-outs, failed callbacks). */
  observeRecords(snapshot: RunSnapshot, failing: { reject: Set<string>; callback: Set<string> }): void {
    const { faults } = this.context;
    faults.twilio5xx.observed = snapshot.messages.filter((message) => message.errorCode === '20500').length;
    faults.twilioTimeout.observed = snapshot.messages.filter(
      (message) => message.errorCode === 'timeout',
    ).length;
    faults.carrier21610Reject.injected = failing.reject.size;
    faults.carrier21610Reject.observed = new Set(
      snapshot.optOuts
        .filter((record) => record.source === 'carrier_21610' && failing.reject.has(record.phone))
        .map((record) => record.phone),
    ).size;
    faults.carrier21610Callback.injected = failing.callback.size;
    faults.carrier21610Callback.observed = new Set(
      snapshot.outbox
        .filter((send) => send.errorCode === '21610' && failing.callback.has(send.to))
        .map((send) => send.to),
    ).size;
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
   * The scheduler fires late until just after the next slot. A text held now (the recipient's
   * window opens before the next slot) is then past its release and still held: the worker that
   * picks it up dies mid-send.
   */
  private async openLateWindow(nextSlotAt: Date): Promise<boolean> {
    const { runtime, faults } = this.context;
    if (this.lateWindow !== undefined) return false;
    const carrier = this.carrier(nextSlotAt, true);
    if (carrier === undefined) return false;
    const now = runtime.clock.now();
    runtime.scheduler.delayFires(nextSlotAt.getTime() - now.getTime() + HOUR_MS);
    // The late release must reach a worker (which then dies), not the reconciler first.
    runtime.pauseReconciler(true);
    faults.schedulerLateFire.injected++;
    this.lateWindow = {};
    const accepted = await manualText(this.context, { contact: carrier, agent: carrier.agents[0]! });
    if (accepted.verdict === 'hold') this.lateWindow.carrierId = accepted.messageId;
    return true;
  }

  private async crashOnReleasedText(window: { carrierId?: string }): Promise<void> {
    const { runtime, faults } = this.context;
    this.lateWindow = undefined;
    const now = runtime.clock.now().getTime();
    const late = runtime.scheduler.list().filter((schedule) => schedule.fireAt.getTime() <= now);
    if (late.length > 0) faults.schedulerLateFire.observed++;
    count(this.context, 'faults', 'schedulesFiredLate', late.length);
    const candidates = [
      ...(window.carrierId === undefined ? [] : [window.carrierId]),
      ...late
        .map((schedule) => messageIdOf(schedule.target.Input))
        .filter((id): id is string => id !== undefined),
    ];
    for (const messageId of candidates.slice(0, 5)) {
      const message = await runtime.deps.stores.messages.get(messageId);
      if (message?.status !== 'held') continue;
      faults.workerCrash.injected++;
      let crashed = false;
      try {
        await sendMessage(runtime.deps, messageId, {
          afterSendingClaimed: async () => {
            crashed = true;
            throw new SimulatedCrash(`worker dies sending ${messageId}`);
          },
        });
      } catch (error) {
        if (!(error instanceof SimulatedCrash)) throw error;
      }
      if (crashed) {
        faults.workerCrash.observed++;
        break;
      }
    }
    runtime.scheduler.delayFires(0);
    runtime.pauseReconciler(false);
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
