import { createOpenApiHandler } from '../../http/openapi';
import { lambdaEntry } from '../deps';

export const handler = lambdaEntry(createOpenApiHandler);
