import { createGetContactHandler } from '../../http/contacts';
import { lambdaEntry } from '../deps';

export const handler = lambdaEntry(createGetContactHandler);
