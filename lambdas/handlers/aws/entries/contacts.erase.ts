import { createEraseContactHandler } from '../../http/contacts';
import { lambdaEntry } from '../deps';

export const handler = lambdaEntry(createEraseContactHandler);
