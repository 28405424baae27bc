import { createTwilioStatusHandler } from '../../twilio/status';
import { lambdaEntry } from '../deps';

export const handler = lambdaEntry(createTwilioStatusHandler);
