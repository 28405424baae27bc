import { createTwilioVoiceHandler } from '../../twilio/voice';
import { lambdaEntry } from '../deps';

export const handler = lambdaEntry(createTwilioVoiceHandler);
