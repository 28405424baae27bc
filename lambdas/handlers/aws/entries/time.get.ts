import { createTimeHandler } from '../../http/time';
import { lambdaEntry } from '../deps';

export const handler = lambdaEntry(createTimeHandler);
