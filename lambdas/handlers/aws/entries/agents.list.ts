import { createListAgentsHandler } from '../../http/agents';
import { lambdaEntry } from '../deps';

export const handler = lambdaEntry(createListAgentsHandler);
