import { createGetMessageHandler } from '../../http/messages';
import { lambdaEntry } from '../deps';

export const handler = lambdaEntry(createGetMessageHandler);
