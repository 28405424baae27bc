import { createDeclareBlackoutHandler } from '../../http/blackouts';
import { lambdaEntry } from '../deps';

export const handler = lambdaEntry(createDeclareBlackoutHandler);
