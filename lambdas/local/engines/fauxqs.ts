import type * as FauxqsModule from 'fauxqs' with { 'resolution-mode': 'import' };
import { LOOPBACK } from './free-port';

/** Where to run fauxqs. */
export interface FauxqsOptions {
  /** TCP port; the OS picks a free one when omitted. */
  port?: number;
}

/** A running fauxqs (SQS emulator) in this process, reachable at `endpoint` until `stop()`. */
export interface Fauxqs {
  endpoint: string;
  port: number;
  stop(): Promise<void>;
}

// This project is CommonJS and @swc/jest (tests, globalSetup) rewrites `import()` into
// `require()`, which cannot load fauxqs: it is ESM-only (its exports have only an "import"
// condition). A Function body is invisible to compilers, so the native import() survives.
// It resolves 'fauxqs' from this file. Works in plain Node/tsx and in jest's globalSetup, not
// inside a jest test file (jest's module sandbox has no dynamic-import hook).
const importFauxqs = new Function('return import("fauxqs")') as () => Promise<typeof FauxqsModule>;

/**
 * Starts fauxqs, an in-memory SQS/SNS emulator, inside this process, listening on 127.0.0.1 only.
 *
 * fauxqs's own `startFauxqs` always listens on 0.0.0.0, so this builds its app and binds it
 * here. Queue URLs it hands out are built from the request's Host header, i.e. this endpoint.
 *
 * @example
 * const sqs = await startFauxqs();
 * const client = localSqsClient(sqs.endpoint);
 * // ...
 * await sqs.stop();
 */
export async function startFauxqs(opts: FauxqsOptions = {}): Promise<Fauxqs> {
  const { buildApp } = await importFauxqs().catch((error: unknown) => {
    throw new Error(
      'Could not load fauxqs. Inside a jest test file it cannot be loaded; use the engine the ' +
        'globalSetup started (process.env.SQS_ENDPOINT).',
      { cause: error },
    );
  });
  const app = buildApp({ logger: false });
  await app.listen({ port: opts.port ?? 0, host: LOOPBACK });
  const address = app.server.address();
  if (address === null || typeof address === 'string') {
    await app.close();
    throw new Error(`fauxqs is listening on an unexpected address: ${String(address)}`);
  }
  return {
    endpoint: `http://${LOOPBACK}:${address.port}`,
    port: address.port,
    stop: async () => {
      await app.close();
    },
  };
}
