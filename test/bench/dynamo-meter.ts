import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** Round trips and consumed capacity of one DynamoDB operation kind (e.g. `PutItem`). */
export type OperationTally = {
  roundTrips: number;
  capacityUnits: number;
  /** Writes refused by their condition (a cancelled transaction counts once). */
  failedWrites: number;
  /** Write units AWS bills for those refusals, included in `capacityUnits`. */
  failedUnits: number;
};

/** What a client did between two `snapshot()` calls. */
export type MeterReading = {
  /** HTTP attempts, retries included. */
  roundTrips: number;
  /** Round trips of operations that write (Put, Update, Delete, TransactWrite, BatchWrite). */
  writeRoundTrips: number;
  /** Capacity units DynamoDB reported as consumed (reads and writes, transactions doubled by DynamoDB). */
  capacityUnits: number;
  readCapacityUnits: number;
  /** Including what refused conditional writes are billed on AWS (DynamoDB Local reports 0 for them). */
  writeCapacityUnits: number;
  /** Writes refused by their condition, and the write units AWS bills for them (included above). */
  failedWrites: number;
  failedWriteCapacityUnits: number;
  byOperation: Record<string, OperationTally>;
};

/** A bench-only meter on one client: read it with `snapshot()`, subtract two with {@link since}. */
export type DynamoMeter = {
  snapshot(): MeterReading;
  /**
   * Stops metering until `resume()`: requests go out exactly as the adapters send them, without
   * the added `ReturnConsumedCapacity` (which costs the engine work production never asks for),
   * so a timed request is the production request. Nothing is counted meanwhile.
   */
  pause(): void;
  resume(): void;
};

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
  let paused = false;

  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (paused) return next(args);
      const operation = operationName(context.commandName);
      const input = args.input as { ReturnConsumedCapacity?: string };
      const asked =
        CAPACITY_OPERATIONS.has(operation) && input.ReturnConsumedCapacity === undefined
          ? { ...args, input: { ...input, ReturnConsumedCapacity: 'TOTAL' } }
          : args;
      let result: Awaited<ReturnType<typeof next>>;
      try {
        result = await next(asked);
      } catch (error) {
        const billed = refusedWriteUnits(operation, args.input, error);
        if (billed > 0) {
          tally(operation).failedWrites += 1;
          tally(operation).failedUnits += billed;
          tally(operation).capacityUnits += billed;
        }
        throw error;
      }
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
      if (!paused) tally(operationName(context.commandName)).roundTrips += 1;
      return next(args);
    },
    { step: 'deserialize', name: `benchRoundTrips${id}` },
  );

  return {
    pause: () => {
      paused = true;
    },
    resume: () => {
      paused = false;
    },
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
    const failedWrites = value.failedWrites - earlier.failedWrites;
    const failedUnits = value.failedUnits - earlier.failedUnits;
    if (roundTrips !== 0 || capacityUnits !== 0)
      byOperation[operation] = { roundTrips, capacityUnits, failedWrites, failedUnits };
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

/**
 * Write units AWS bills for a write its condition refused, which DynamoDB Local reports as 0:
 * a refused conditional write consumes write capacity as if it wrote (at least 1 WCU, the
 * existing item's size beyond 1 KB), and a cancelled transaction is billed for each of its
 * actions at the transactional rate (2 WCU each at least). Item sizes are not known here, so
 * this is the floor.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/WorkingWithItems.html#WorkingWithItems.ConditionalUpdate
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis.html#transaction-capacity-handling
 */
function refusedWriteUnits(operation: string, input: unknown, error: unknown): number {
  const name = (error as { name?: string } | undefined)?.name;
  if (name === 'ConditionalCheckFailedException' && WRITE_OPERATIONS.has(operation)) return 1;
  if (name === 'TransactionCanceledException' && operation === 'TransactWriteItems') {
    const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
    if (!reasons.some((reason) => reason.Code === 'ConditionalCheckFailed')) return 0;
    const actions = (input as { TransactItems?: unknown[] }).TransactItems?.length ?? reasons.length;
    return 2 * actions;
  }
  return 0;
}

function summarize(byOperation: Record<string, OperationTally>): MeterReading {
  const reading: MeterReading = {
    roundTrips: 0,
    writeRoundTrips: 0,
    capacityUnits: 0,
    readCapacityUnits: 0,
    writeCapacityUnits: 0,
    failedWrites: 0,
    failedWriteCapacityUnits: 0,
    byOperation,
  };
  for (const [operation, { roundTrips, capacityUnits, failedWrites, failedUnits }] of Object.entries(
    byOperation,
  )) {
    const writes = WRITE_OPERATIONS.has(operation);
    reading.failedWrites += failedWrites;
    reading.failedWriteCapacityUnits += failedUnits;
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
  return { roundTrips: 0, capacityUnits: 0, failedWrites: 0, failedUnits: 0 };
}

function formatShare(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}
