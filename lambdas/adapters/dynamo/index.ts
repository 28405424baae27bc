import { DynamoAgentStore } from './agent-store';
import { DynamoBlackoutStore } from './blackout-store';
import { DynamoContactStore } from './contact-store';
import { DynamoCounterStore } from './counter-store';
import type { DynamoStoreOptions } from './document-client';
import { DynamoLedgerStore } from './ledger-store';
import { DynamoMessageStore } from './message-store';
import { DynamoNumberStore } from './number-store';
import { DynamoOptOutStore } from './optout-store';
import { DynamoStopStore } from './stop-store';
import { DynamoTwilioBlockStore } from './twilio-block-store';

export { createTables } from './create-tables';
export { documentClient, type DynamoStoreOptions } from './document-client';
export { countRoundTrips, type RoundTripCounter } from './round-trips';
export { prefixedTableNames, tableNamesFromEnv, type TableNames } from './tables';

/** The stores, as their DynamoDB classes (each satisfies its port in `ports.ts`). */
export type DynamoStores = {
  agents: DynamoAgentStore;
  contacts: DynamoContactStore;
  ledger: DynamoLedgerStore;
  optouts: DynamoOptOutStore;
  messages: DynamoMessageStore;
  counters: DynamoCounterStore;
  numbers: DynamoNumberStore;
  twilioBlocks: DynamoTwilioBlockStore;
  blackouts: DynamoBlackoutStore;
  stops: DynamoStopStore;
};

/**
 * Every store of the application on DynamoDB, sharing one document client.
 *
 * @example
 * const stores = dynamoStores({ client: documentClient(new DynamoDBClient({})), tables: tableNamesFromEnv() });
 */
export function dynamoStores(options: DynamoStoreOptions): DynamoStores {
  return {
    agents: new DynamoAgentStore(options),
    contacts: new DynamoContactStore(options),
    ledger: new DynamoLedgerStore(options),
    optouts: new DynamoOptOutStore(options),
    messages: new DynamoMessageStore(options),
    counters: new DynamoCounterStore(options),
    numbers: new DynamoNumberStore(options),
    twilioBlocks: new DynamoTwilioBlockStore(options),
    blackouts: new DynamoBlackoutStore(options),
    stops: new DynamoStopStore(options),
  };
}
