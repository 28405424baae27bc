import { createConsentRequestHandler } from '../../http/consent';
import { lambdaEntry } from '../deps';

export const handler = lambdaEntry(createConsentRequestHandler);
