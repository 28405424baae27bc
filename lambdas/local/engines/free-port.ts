import { createServer } from 'node:net';

/** The only interface the local engines listen on: nothing local is reachable from the network. */
export const LOOPBACK = '127.0.0.1';

/**
 * Asks the OS for a TCP port that is free on 127.0.0.1 right now.
 *
 * The port is released before this resolves, so another process could take it before the
 * caller binds it; callers that spawn a server should retry with a new port on a bind failure.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.once('error', reject);
    probe.listen(0, LOOPBACK, () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : undefined;
      probe.close(() => (port === undefined ? reject(new Error('OS gave no TCP port')) : resolve(port)));
    });
  });
}

/**
 * Whether nothing listens on `port` on any interface (probing 0.0.0.0 also collides with a
 * listener on 127.0.0.1), so a server that binds all interfaces will get it.
 */
export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.unref();
    probe.once('error', () => resolve(false));
    probe.listen(port, '0.0.0.0', () => probe.close(() => resolve(true)));
  });
}
