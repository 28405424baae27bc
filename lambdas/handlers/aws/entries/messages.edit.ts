import { createEditMessageHandler } from '../../http/enroll';
import { lambdaEntry } from '../deps';

export const handler = lambdaEntry(createEditMessageHandler);
