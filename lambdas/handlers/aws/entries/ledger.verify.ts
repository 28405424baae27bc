import { createVerifyLedgerHandler } from '../../http/ledger';
import { lambdaEntry } from '../deps';

export const handler = lambdaEntry(createVerifyLedgerHandler);
