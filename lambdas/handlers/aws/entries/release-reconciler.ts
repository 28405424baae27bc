import { createReleaseReconcilerHandler } from '../../schedule/release-reconciler';
import { lambdaEntry } from '../deps';

export const handler = lambdaEntry(createReleaseReconcilerHandler);
