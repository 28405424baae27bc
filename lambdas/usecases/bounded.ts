/**
 * Runs `fn` over `items` with at most `limit` calls in flight (at least one); results keep the
 * input order. The first failure stops new calls and rejects once every started call has settled,
 * so no write is left running behind a caller that already gave up.
 *
 * @example
 * const written = await mapBounded(rows, 8, (row, index) => store.put(row, index));
 */
export async function mapBounded<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (failure === undefined && next < items.length) {
      const index = next++;
      try {
        results[index] = await fn(items[index] as T, index);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker));
  if (failure !== undefined) throw failure.error;
  return results;
}
