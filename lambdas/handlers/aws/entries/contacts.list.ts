import { createListContactsHandler } from '../../http/contacts';
import { lambdaEntry } from '../deps';

export const handler = lambdaEntry(createListContactsHandler);
