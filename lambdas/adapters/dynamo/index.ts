import { DynamoAgentStore } from './agent-store';
import { DynamoBlackoutStore } from './blackout-store';
import { DynamoContactStore } from './contact-store';
import { DynamoCadenceStore } from './cadence-store';
import { DynamoCapStore } from './cap-store';
import type { DynamoStoreOptions } from './document-client';
import { DynamoGateReads } from './gate-reads';
import { DynamoLedgerStore } from './ledger-store';
import { DynamoMessageStore } from './message-store';
import { DynamoNumberStore } from './number-store';
import { DynamoOptOutStore } from './optout-store';
import { DynamoStopStore } from './stop-store';
import { DynamoSweepCursorStore } from './sweep-cursor-store';
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
  caps: DynamoCapStore;
  sweepCursor: DynamoSweepCursorStore;
  cadences: DynamoCadenceStore;
  numbers: DynamoNumberStore;
  twilioBlocks: DynamoTwilioBlockStore;
  gateReads: DynamoGateReads;
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
  const messages = new DynamoMessageStore(options);
  return {
    agents: new DynamoAgentStore(options),
    contacts: new DynamoContactStore(options),
    ledger: new DynamoLedgerStore(options),
    optouts: new DynamoOptOutStore(options),
    messages,
    caps: new DynamoCapStore(options),
    sweepCursor: new DynamoSweepCursorStore(options),
    cadences: new DynamoCadenceStore(options),
    numbers: new DynamoNumberStore(options),
    twilioBlocks: new DynamoTwilioBlockStore(options),
    gateReads: new DynamoGateReads({ ...options, heads: messages }),
    blackouts: new DynamoBlackoutStore(options),
    stops: new DynamoStopStore(options),
  };
}
