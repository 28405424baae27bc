import { randomBytes } from 'node:crypto';
import { twilioMessagingUrls } from '../../lambdas/handlers/twilio/webhook-urls';
import { inboundForm, postSignedWebhook } from '../../lambdas/local/simulation/webhooks';
import { parseWebhookUrl } from '../../lambdas/local/webhook-delivery';
import { benchAudience, progress, type BenchRuntime } from './bench-runtime';
import { recordFigure } from './figures';
import { fmt, pair, percentiles, type BenchSection } from './measure';

const WARM_UP = 10;
const POLL_MS = 1;
const GIVE_UP_MS = 30_000;

/**
 * The Fallback URL's promise (README "No inbound text is lost"): a revocation every primary
 * attempt failed to deliver is durable in the capture queue before the fallback's 200, and
 * applied within seconds. Times, per text, from that 200 to the opt-out applied by the fallback
 * processor through the runtime's real path (fallback route → SQS capture queue → queue poller →
 * processor → the inbound use case), then reads the opt-out back. The queue settles between texts.
 */
export async function benchFallbackCapture(
  bench: BenchRuntime,
  options: { count?: number } = {},
): Promise<BenchSection> {
  const count = options.count ?? 100;
  const { runtime } = bench;
  const { agent, phones } = await benchAudience(bench, {
    label: 'fallback',
    name: 'Morgan Diaz',
    senderNumber: '+13055550115',
    series: 5,
    count: WARM_UP + count,
  });
  // Signed over the URL Twilio calls: the configured fallback without its fragment.
  const { url } = parseWebhookUrl(twilioMessagingUrls(runtime.baseUrl).smsFallback);

  const capture = async (phone: string): Promise<{ ms: number; durable: boolean }> => {
    const sid = `SM${randomBytes(16).toString('hex')}`;
    const form = {
      ...inboundForm({
        sid,
        from: phone,
        to: agent.senderNumber,
        body: 'Please stop texting me',
        accountSid: runtime.twilio.accountSid,
      }),
      ErrorCode: '11200',
      ErrorUrl: `${runtime.baseUrl}/twilio/sms`,
    };
    const before = runtime.fallbackCounts().applied;
    const status = await postSignedWebhook(runtime, url, form);
    const capturedAt = process.hrtime.bigint();
    if (status !== 200) throw new Error(`fallback capture from ${phone}: HTTP ${status}`);
    while (runtime.fallbackCounts().applied === before) {
      if (Number(process.hrtime.bigint() - capturedAt) / 1e6 > GIVE_UP_MS)
        throw new Error(`fallback capture from ${phone} not applied in ${GIVE_UP_MS} ms`);
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    const ms = Number(process.hrtime.bigint() - capturedAt) / 1e6;
    const durable = (await bench.inspect.stores.optouts.list(phone)).length > 0;
    // The confirmation goes out before the next text, outside the timing.
    await runtime.settle();
    return { ms, durable };
  };

  for (const phone of phones.slice(0, WARM_UP)) await capture(phone);
  progress(`fallback: ${count} revocations captured by the Fallback URL, each applied by the processor`);
  const durations: number[] = [];
  let durable = 0;
  for (const phone of phones.slice(WARM_UP)) {
    const result = await capture(phone);
    durations.push(result.ms);
    if (result.durable) durable++;
  }
  const confirmations = phones
    .slice(WARM_UP)
    .reduce(
      (sum, phone) => sum + runtime.twilio.inbox(phone).filter((m) => /unsubscribed/i.test(m.body)).length,
      0,
    );
  const ms = percentiles(durations);
  recordFigure('fallback.n', count);
  recordFigure('fallback.p50', ms.p50);
  recordFigure('fallback.p99', ms.p99);
  recordFigure('fallback.durable', durable);
  return {
    title: 'Fallback URL (local engine: fallback route → SQS capture queue → processor)',
    rows: [
      [
        `fallback capture's 200 → opt-out applied, p50 / p99 (N=${count}, queue settled between)`,
        pair(ms.p50, ms.p99, 'ms'),
      ],
      ['opt-out in the store once applied', `${durable} / ${count}`],
      ['confirmation texts per captured revocation', fmt(confirmations / count)],
    ],
  };
}
