import { createGetCadenceHandler } from '../../http/enroll';
import { lambdaEntry } from '../deps';

export const handler = lambdaEntry(createGetCadenceHandler);
