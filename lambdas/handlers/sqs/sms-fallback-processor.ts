/**
 * The fallback processor: the SMS fallback queue's Lambda. Each record is an inbound webhook the
 * Fallback URL captured; it is replayed through the same SMS webhook handler — signature checked
 * against the fallback URL Twilio signed, AccountSid, validation, then the inbound use case
 * (idempotent on MessageSid, so a text the primary path did apply after all changes nothing).
 * AWS entry point: the composition root binds it to production `Deps`.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { APIGatewayProxyEventV2, Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { capturedWebhook } from '../../adapters/sqs/inbound-capture';
import type { CapturedWebhook } from '../../ports';
import type { Deps } from '../../usecases/deps';
import { createTwilioSmsHandler } from '../twilio/sms';

export type SmsFallbackProcessor = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

/** What one batch did: replayed, dropped (bad signature or form: never applied), or left for a retry. */
export type FallbackCounts = { applied: number; dropped: number; retried: number };

/** CloudWatch namespace and metric of captures dropped because their signature did not verify. */
export const FALLBACK_DROPPED_METRIC = { namespace: 'ConsentLine', name: 'FallbackWebhooksDropped' } as const;

const logger = new Logger({ serviceName: 'consentline-sms-fallback' });

/**
 * Replays each captured webhook; a record fails (and comes back after the visibility timeout,
 * then the dead-letter queue) only when applying it failed. A capture whose signature does not
 * verify is dropped and counted, never applied: a forged STOP would opt a stranger out.
 *
 * @example const { batchItemFailures } = await createSmsFallbackProcessor(deps)(sqsEvent, context);
 */
export function createSmsFallbackProcessor(
  deps: Deps,
  options: {
    metrics?: Metrics;
    /** Told what each batch did (the local runtime counts them). */
    observe?: (counts: FallbackCounts) => void;
  } = {},
): SmsFallbackProcessor {
  const metrics =
    options.metrics ??
    new Metrics({ namespace: FALLBACK_DROPPED_METRIC.namespace, serviceName: 'consentline' });
  return async (event, context) => {
    const counts: FallbackCounts = { applied: 0, dropped: 0, retried: 0 };
    const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
    for (const record of event.Records) {
      const parsed = capturedWebhook.safeParse(parseJson(record.body));
      if (!parsed.success) {
        logger.error('fallback record is not a captured webhook; dropped', { messageId: record.messageId });
        counts.dropped++;
        continue;
      }
      const captured = parsed.data;
      const answer = await createTwilioSmsHandler(deps, { receivedAt: captured.receivedAt })(
        replayEvent(captured),
        context,
      ).catch(() => ({ statusCode: 500 }));
      const status = answer.statusCode ?? 200;
      if (status >= 200 && status < 300) {
        counts.applied++;
      } else if (status >= 400 && status < 500) {
        // 403: the signature (or account) does not verify against the fallback URL; 400: malformed.
        logger.warn('fallback webhook refused; dropped', { status, receivedAt: captured.receivedAt });
        counts.dropped++;
      } else {
        counts.retried++;
        batchItemFailures.push({ itemIdentifier: record.messageId });
      }
    }
    if (counts.dropped > 0) {
      metrics.addMetric(FALLBACK_DROPPED_METRIC.name, MetricUnit.Count, counts.dropped);
      metrics.publishStoredMetrics();
    }
    options.observe?.(counts);
    return { batchItemFailures };
  };
}

/** The API Gateway event the capture came from, as far as the webhook handler reads it. */
function replayEvent(captured: CapturedWebhook): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: `POST ${captured.rawPath}`,
    rawPath: captured.rawPath,
    rawQueryString: captured.rawQueryString,
    headers: captured.headers,
    body: captured.body,
    isBase64Encoded: captured.isBase64Encoded,
    requestContext: {
      accountId: 'replay',
      apiId: 'replay',
      domainName: 'replay',
      domainPrefix: 'replay',
      http: {
        method: 'POST',
        path: captured.rawPath,
        protocol: 'HTTP/1.1',
        sourceIp: '0.0.0.0',
        userAgent: '',
      },
      requestId: `replay-${captured.receivedAt}`,
      routeKey: `POST ${captured.rawPath}`,
      stage: '$default',
      time: captured.receivedAt,
      timeEpoch: Date.parse(captured.receivedAt),
    },
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
