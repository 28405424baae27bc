import { createAuditMessagesHandler } from '../../http/audit';
import { lambdaEntry } from '../deps';

export const handler = lambdaEntry(createAuditMessagesHandler);
