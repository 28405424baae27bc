import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { dynamoStores, type TableNames } from '../../lambdas/adapters/dynamo';
import type { Clock } from '../../lambdas/ports';
import type { AppConfig, Deps } from '../../lambdas/usecases/deps';
import { standInNumberLookup } from '../../lambdas/local/lookup-standin';
import { queueOneByOne } from '../../lambdas/adapters/sqs/queue-one-by-one';

/**
 * The deps of a test: the production DynamoDB stores on `tables`, the Lookup stand-in, and for
 * the rest whatever the test passes in `with`; a port it leaves out fails loudly when used,
 * naming `subject` (what the test exercises) so a test never reaches a service by accident.
 */
export function testDeps(parts: {
  client: DynamoDBDocumentClient;
  tables: TableNames;
  clock: Clock;
  subject: string;
  config?: Partial<AppConfig>;
  with?: Partial<Omit<Deps, 'clock' | 'stores' | 'config'>>;
}): Deps {
  const unused = (what: string) => () => Promise.reject(new Error(`${what} is not used by ${parts.subject}`));
  return {
    clock: parts.clock,
    stores: dynamoStores({ client: parts.client, tables: parts.tables }),
    queue: queueOneByOne(unused('the send queue')),
    scheduler: { scheduleRelease: unused('the release scheduler') },
    sms: { send: unused('Twilio') },
    lookup: standInNumberLookup(parts.clock).lookup,
    config: {
      publicBaseUrl: 'https://api.test',
      twilioAccountSid: `AC${'0'.repeat(32)}`,
      twilioAuthToken: 'test-token',
      ...parts.config,
    },
    ...parts.with,
  };
}
