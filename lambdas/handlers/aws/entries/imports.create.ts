import { createImportContactsHandler } from '../../http/imports';
import { lambdaEntry } from '../deps';

export const handler = lambdaEntry(createImportContactsHandler);
