import { createListContactMessagesHandler } from '../../http/enroll';
import { lambdaEntry } from '../deps';

export const handler = lambdaEntry(createListContactMessagesHandler);
