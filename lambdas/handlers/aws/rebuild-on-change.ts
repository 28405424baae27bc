/**
 * A value built from configuration that can change under a warm function (a rotated secret):
 * `load` runs on every call (it is cheap — its reads are cached for a maximum age), and `build`
 * runs again whenever the loaded fingerprint differs from the one the current value was built
 * from. A failed load or build is not kept: the call rejects and the next one tries again.
 *
 * @example
 * const current = rebuildOnChange(() => loadSecrets(read, ids), (secrets) => factory(depsWith(secrets)));
 * const handler = await current();
 */
export function rebuildOnChange<C extends { fingerprint: string }, V>(
  load: () => Promise<C>,
  build: (config: C) => V,
): () => Promise<V> {
  let current: { fingerprint: string; value: V } | undefined;
  return async () => {
    const config = await load();
    if (current === undefined || current.fingerprint !== config.fingerprint) {
      current = { fingerprint: config.fingerprint, value: build(config) };
    }
    return current.value;
  };
}
