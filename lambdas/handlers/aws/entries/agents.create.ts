import { createCreateAgentHandler } from '../../http/agents';
import { lambdaEntry } from '../deps';

export const handler = lambdaEntry(createCreateAgentHandler);
