import { createCreateMessageHandler } from '../../http/messages';
import { lambdaEntry } from '../deps';

export const handler = lambdaEntry(createCreateMessageHandler);
