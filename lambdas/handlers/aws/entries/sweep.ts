import { createSweepHandler } from '../../schedule/sweep';
import { lambdaEntry } from '../deps';

export const handler = lambdaEntry(createSweepHandler);
