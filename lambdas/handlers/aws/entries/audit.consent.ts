import { createAuditConsentHandler } from '../../http/audit';
import { lambdaEntry } from '../deps';

export const handler = lambdaEntry(createAuditConsentHandler);
