import type { Server } from 'node:http';
import {
  createTwilioStandIn,
  type TwilioStandIn,
  type TwilioStandInOptions,
} from '../../lambdas/local/twilio-standin';
import { close, listen, serve } from './servers';

/** A Twilio stand-in serving on a free port: the stand-in and the base URL to give a client. */
export type ServedTwilioStandIn = { standIn: TwilioStandIn; url: string };

/**
 * The Twilio stand-in made of `options`, serving for the tests of one file: call at the top; the
 * fields are filled in beforeAll, the stand-in is stopped and its server closed after all.
 */
export function useTwilioStandIn(options: TwilioStandInOptions): ServedTwilioStandIn {
  const served = {} as ServedTwilioStandIn;
  let server: Server | undefined;
  beforeAll(async () => {
    served.standIn = createTwilioStandIn(options);
    server = serve(served.standIn);
    served.url = await listen(server);
  });
  afterAll(async () => {
    served.standIn?.stop();
    if (server !== undefined) await close(server);
  });
  return served;
}
