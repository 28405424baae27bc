import { createRotateAgentKeyHandler } from '../../http/agents';
import { lambdaEntry } from '../deps';

export const handler = lambdaEntry(createRotateAgentKeyHandler);
