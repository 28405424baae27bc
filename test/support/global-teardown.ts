import { takeTestEngines } from './global-setup';

/** Jest globalTeardown: stops the engines globalSetup started. */
export default async function globalTeardown(): Promise<void> {
  const engines = takeTestEngines();
  if (engines === undefined) return;
  await Promise.all([engines.dynamo.stop(), engines.sqs.stop()]);
}
