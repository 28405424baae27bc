import { createListBlackoutsHandler } from '../../http/blackouts';
import { lambdaEntry } from '../deps';

export const handler = lambdaEntry(createListBlackoutsHandler);
