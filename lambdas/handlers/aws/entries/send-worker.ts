import { createSendWorkerHandler } from '../../sqs/send-worker';
import { lambdaEntry } from '../deps';

export const handler = lambdaEntry(createSendWorkerHandler);
