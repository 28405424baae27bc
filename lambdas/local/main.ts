import { parseArgs } from 'node:util';
import { ensureConsoleBuilt } from '../client/web/build';
import { startLocalRuntime } from './runtime';

/** `npm start`: ConsentLine on this machine. */
async function main(): Promise<void> {
  // Lambda runs Node 22+; the machines that run the local copy may have Node 20, which the SDK
  // nags about on every client. The nag is about AWS's support window, not about this code.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: process.env.PORT ?? '3000' },
      'data-dir': { type: 'string' },
      'no-demo': { type: 'boolean', default: false },
    },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--port: ${values.port} is not a port`);
  const clockStart = process.env.CONSENTLINE_CLOCK ? new Date(process.env.CONSENTLINE_CLOCK) : undefined;
  if (clockStart && Number.isNaN(clockStart.getTime()))
    throw new Error('CONSENTLINE_CLOCK: not an ISO-8601 instant');

  const runtime = await startLocalRuntime({
    port,
    dataDir: values['data-dir'],
    clockStart,
    adminKey: process.env.CONSENTLINE_ADMIN_KEY,
    twilioAuthToken: process.env.TWILIO_AUTH_TOKEN,
    demoAgent: !values['no-demo'],
    consoleDir: ensureConsoleBuilt(),
  });
  console.log(`ConsentLine local runtime
  base URL        ${runtime.baseUrl}
  web console     ${runtime.baseUrl}/ (sign in with a key below)
  admin key       ${runtime.adminKey}
  Twilio token    ${runtime.twilioAuthToken} (webhooks: ${runtime.baseUrl}/twilio/sms, /twilio/voice, /twilio/status)
  clock           ${runtime.clock.now().toISOString()} (POST /local/clock {"now": "..."} walks it; GET /local/clock shows the walk)`);
  if (runtime.demo) {
    console.log(`  demo agent      ${runtime.demo.agentId} (Dana Reyes, Harbor Realty, texts from ${runtime.demo.senderNumber})
  demo agent key  ${runtime.demo.apiKey}`);
  }
  console.log('Ctrl-C stops it.');

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping`);
    runtime
      .stop()
      .catch((error: unknown) => console.error(error))
      .finally(() => process.exit(0));
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
