import { createAuditPhoneHandler } from '../../http/audit';
import { lambdaEntry } from '../deps';

export const handler = lambdaEntry(createAuditPhoneHandler);
