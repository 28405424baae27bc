import { Logger } from '@aws-lambda-powertools/logger';
import type { DynamoDBStreamEvent } from 'aws-lambda';

const logger = new Logger({ serviceName: 'consentline-append-only' });

/** The `event` of the log line for a changed or removed record (the stack's alarm counts invocations). */
export const APPEND_ONLY_VIOLATION = 'append_only_violation';

/**
 * The stream consumer of the append-only tables. The event source's filter lets only MODIFY and
 * REMOVE records through, so any invocation at all is the alarm (lib/alarms.ts); this names what
 * changed — table, key, the record before and after — for whoever answers it.
 */
export async function watchAppendOnly(event: DynamoDBStreamEvent): Promise<void> {
  for (const record of event.Records) {
    if (record.eventName !== 'MODIFY' && record.eventName !== 'REMOVE') continue;
    logger.error('an append-only record was changed or removed', {
      event: APPEND_ONLY_VIOLATION,
      change: record.eventName,
      table: record.eventSourceARN?.split('/')[1],
      keys: record.dynamodb?.Keys,
      before: record.dynamodb?.OldImage,
      after: record.dynamodb?.NewImage,
      principal: record.userIdentity,
    });
  }
}
