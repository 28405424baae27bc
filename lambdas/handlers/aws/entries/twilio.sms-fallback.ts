import { createTwilioSmsFallbackHandler } from '../../twilio/sms-fallback';
import { lambdaEntry } from '../deps';

export const handler = lambdaEntry(createTwilioSmsFallbackHandler);
