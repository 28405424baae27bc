import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** Round trips and consumed capacity of one DynamoDB operation kind (e.g. `PutItem`). */
export type OperationTally = { roundTrips: number; capacityUnits: number };

/** What a client did between two `snapshot()` calls. */
export type MeterReading = {
  /** HTTP attempts, retries included. */
  roundTrips: number;
  /** Round trips of operations that write (Put, Update, Delete, TransactWrite, BatchWrite). */
  writeRoundTrips: number;
  /** Capacity units DynamoDB reported as consumed (reads and writes, transactions doubled by DynamoDB). */
  capacityUnits: number;
  readCapacityUnits: number;
  writeCapacityUnits: number;
  byOperation: Record<string, OperationTally>;
};

/** A bench-only meter on one client: read it with `snapshot()`, subtract two with {@link since}. */
export type DynamoMeter = { snapshot(): MeterReading };

const WRITE_OPERATIONS = new Set([
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'TransactWriteItems',
  'BatchWriteItem',
]);
const CAPACITY_OPERATIONS = new Set([
  ...WRITE_OPERATIONS,
  'GetItem',
  'Query',
  'Scan',
  'BatchGetItem',
  'TransactGetItems',
]);

let meters = 0;

/**
 * Meters a DynamoDB client for benchmarks: counts round trips per operation (one per HTTP
 * attempt, like `countRoundTrips`) and asks DynamoDB for the capacity each call consumes by
 * adding `ReturnConsumedCapacity: 'TOTAL'` to every operation that takes it. Our adapters never
 * set it, so the added field in a response changes nothing they read. A document client shares
 * its base client's middleware stack, so metering the base client meters both.
 */
export function meterDynamo(client: DynamoDBClient): DynamoMeter {
  const byOperation: Record<string, OperationTally> = {};
  const tally = (operation: string): OperationTally => (byOperation[operation] ??= emptyTally());
  const id = ++meters;

  client.middlewareStack.add(
    (next, context) => async (args) => {
      const operation = operationName(context.commandName);
      const input = args.input as { ReturnConsumedCapacity?: string };
      const asked =
        CAPACITY_OPERATIONS.has(operation) && input.ReturnConsumedCapacity === undefined
          ? { ...args, input: { ...input, ReturnConsumedCapacity: 'TOTAL' } }
          : args;
      const result = await next(asked);
      tally(operation).capacityUnits += consumedUnits(
        (result.output as { ConsumedCapacity?: Consumed | Consumed[] }).ConsumedCapacity,
      );
      return result;
    },
    { step: 'initialize', name: `benchCapacity${id}` },
  );
  // Below the retry middleware, so once per attempt.
  client.middlewareStack.add(
    (next, context) => async (args) => {
      tally(operationName(context.commandName)).roundTrips += 1;
      return next(args);
    },
    { step: 'deserialize', name: `benchRoundTrips${id}` },
  );

  return {
    snapshot: () => {
      const copy = Object.fromEntries(
        Object.entries(byOperation).map(([operation, value]) => [operation, { ...value }]),
      );
      return summarize(copy);
    },
  };
}

/** What happened between `before` and `after` (two snapshots of the same meter). */
export function since(before: MeterReading, after: MeterReading): MeterReading {
  const byOperation: Record<string, OperationTally> = {};
  for (const [operation, value] of Object.entries(after.byOperation)) {
    const earlier = before.byOperation[operation] ?? emptyTally();
    const roundTrips = value.roundTrips - earlier.roundTrips;
    const capacityUnits = value.capacityUnits - earlier.capacityUnits;
    if (roundTrips !== 0 || capacityUnits !== 0) byOperation[operation] = { roundTrips, capacityUnits };
  }
  return summarize(byOperation);
}

/** `PutItem ×2.0, Query ×3.0`: per-operation round trips divided by `per`, most frequent first. */
export function describeOperations(reading: MeterReading, per: number): string {
  return Object.entries(reading.byOperation)
    .filter(([, { roundTrips }]) => roundTrips > 0)
    .sort(([, a], [, b]) => b.roundTrips - a.roundTrips)
    .map(([operation, { roundTrips }]) => `${operation} ×${formatShare(roundTrips / per)}`)
    .join(', ');
}

type Consumed = { CapacityUnits?: number };

function summarize(byOperation: Record<string, OperationTally>): MeterReading {
  const reading: MeterReading = {
    roundTrips: 0,
    writeRoundTrips: 0,
    capacityUnits: 0,
    readCapacityUnits: 0,
    writeCapacityUnits: 0,
    byOperation,
  };
  for (const [operation, { roundTrips, capacityUnits }] of Object.entries(byOperation)) {
    const writes = WRITE_OPERATIONS.has(operation);
    reading.roundTrips += roundTrips;
    reading.capacityUnits += capacityUnits;
    if (writes) {
      reading.writeRoundTrips += roundTrips;
      reading.writeCapacityUnits += capacityUnits;
    } else {
      reading.readCapacityUnits += capacityUnits;
    }
  }
  return reading;
}

function consumedUnits(consumed: Consumed | Consumed[] | undefined): number {
  if (consumed === undefined) return 0;
  return (Array.isArray(consumed) ? consumed : [consumed]).reduce(
    (sum, one) => sum + (one.CapacityUnits ?? 0),
    0,
  );
}

/** `PutItemCommand` → `PutItem`; the document client's commands run as the base client's. */
function operationName(commandName: string | undefined): string {
  return (commandName ?? 'Unknown').replace(/Command$/, '');
}

function emptyTally(): OperationTally {
  return { roundTrips: 0, capacityUnits: 0 };
}

function formatShare(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}
