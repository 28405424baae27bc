import { createPutCadenceHandler } from '../../http/enroll';
import { lambdaEntry } from '../deps';

export const handler = lambdaEntry(createPutCadenceHandler);
