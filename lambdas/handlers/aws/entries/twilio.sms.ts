import { createTwilioSmsHandler } from '../../twilio/sms';
import { lambdaEntry } from '../deps';

export const handler = lambdaEntry(createTwilioSmsHandler);
