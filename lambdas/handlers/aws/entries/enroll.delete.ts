import { createUnenrollHandler } from '../../http/enroll';
import { lambdaEntry } from '../deps';

export const handler = lambdaEntry(createUnenrollHandler);
