import fc from 'fast-check';
import type { MessageStatus } from '../../../lambdas/ports';
import { recordDeliveryStatus } from '../../../lambdas/usecases/delivery-status';
import { newMessageSid, randomPhone, useTwilioFixture } from '../handlers/twilio/fixture';

// Twilio's statuses for an outbound text, and where each ranks in a send (RULES §6 delivery reports).
const TWILIO_STATUSES = [
  'accepted',
  'queued',
  'sending',
  'sent',
  'delivered',
  'undelivered',
  'failed',
  'read',
];
const MODEL_RANK: Record<string, number> = { sent: 2, delivered: 3, undelivered: 3, failed: 3 };

describe('recordDeliveryStatus', () => {
  const fx = useTwilioFixture();

  const messageAt = (status: MessageStatus, twilioSid = newMessageSid()) =>
    fx.sentMessage(fx.agent, {
      kind: 'drip',
      purpose: 'automated',
      body: 'Dana Reyes: spring market update.',
      status,
      history: [{ status, at: fx.clock.now().toISOString(), twilioSid }],
      twilioSid,
    });

  it('ends where the furthest status of any order of callbacks puts it, never moving back', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom(...TWILIO_STATUSES), { minLength: 1, maxLength: 8 }),
        async (statuses) => {
          // prepare
          const message = await messageAt('sent');
          let expected = { status: 'sent', rank: 2, history: ['sent'] };
          for (const status of statuses) {
            const rank = MODEL_RANK[status];
            if (rank !== undefined && rank > expected.rank) {
              expected = { status, rank, history: [...expected.history, status] };
            }
          }

          // act
          for (const status of statuses) {
            await recordDeliveryStatus(fx.deps, { messageSid: message.twilioSid ?? '', status });
          }

          // assess
          const stored = await fx.deps.stores.messages.get(message.messageId);
          expect(stored?.status).toBe(expected.status);
          expect(stored?.history.map((change) => change.status)).toEqual(expected.history);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('moves a message the worker still shows as sending once Twilio reports it delivered', async () => {
    // prepare
    const message = await messageAt('sending');

    // act
    const outcome = await recordDeliveryStatus(fx.deps, {
      messageSid: message.twilioSid ?? '',
      status: 'delivered',
    });

    // assess
    expect(outcome).toEqual({ kind: 'recorded', messageId: message.messageId, status: 'delivered' });
  });

  it('ignores accepted and queued callbacks for a message already sent', async () => {
    // prepare
    const message = await messageAt('sent');

    // act
    const outcomes = await Promise.all(
      ['accepted', 'queued'].map((status) =>
        recordDeliveryStatus(fx.deps, { messageSid: message.twilioSid ?? '', status }),
      ),
    );

    // assess
    expect(outcomes.map((outcome) => outcome.kind)).toEqual(['ignored', 'ignored']);
    expect((await fx.deps.stores.messages.get(message.messageId))?.history).toHaveLength(1);
  });

  it('never touches a message the gate blocked, whatever Twilio says', async () => {
    // prepare
    const message = await messageAt('blocked');

    // act
    await recordDeliveryStatus(fx.deps, { messageSid: message.twilioSid ?? '', status: 'delivered' });

    // assess
    expect((await fx.deps.stores.messages.get(message.messageId))?.status).toBe('blocked');
  });

  it('records a carrier opt-out for the recipient of an unknown SID with error 21610', async () => {
    // prepare
    const phone = randomPhone();
    const messageSid = newMessageSid();

    // act
    const outcome = await recordDeliveryStatus(fx.deps, {
      messageSid,
      status: 'failed',
      errorCode: '21610',
      to: phone,
    });

    // assess
    expect(outcome.kind).toBe('unknown_message');
    expect(await fx.deps.stores.optouts.list(phone)).toEqual([
      expect.objectContaining({ source: 'carrier_21610', messageSid }),
    ]);
  });
});
