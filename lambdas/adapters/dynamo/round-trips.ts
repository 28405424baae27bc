import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** How many HTTP requests a DynamoDB client has made since the last `reset()`. */
export type RoundTripCounter = { count(): number; reset(): void };

let counters = 0;

/**
 * Counts DynamoDB round trips, one per HTTP attempt (SDK retries included), for benchmarks and
 * tests that pin an operation's cost. A document client shares its base client's middleware
 * stack, so counting either one counts both.
 *
 * @example
 * const trips = countRoundTrips(client);
 * await stores.ledger.append(draft, at);
 * trips.count(); // 2: GetItem + TransactWriteItems
 */
export function countRoundTrips(client: DynamoDBClient | DynamoDBDocumentClient): RoundTripCounter {
  let count = 0;
  // The deserialize step runs below the retry middleware (finalizeRequest), so once per attempt.
  client.middlewareStack.add(
    (next) => async (args) => {
      count += 1;
      return next(args);
    },
    { step: 'deserialize', name: `consentlineRoundTrips${++counters}` },
  );
  return {
    count: () => count,
    reset: () => {
      count = 0;
    },
  };
}
