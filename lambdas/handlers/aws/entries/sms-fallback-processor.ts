import { createSmsFallbackProcessor } from '../../sqs/sms-fallback-processor';
import { lambdaEntry } from '../deps';

export const handler = lambdaEntry(createSmsFallbackProcessor);
