import { createRevokeAgentKeysHandler } from '../../http/agents';
import { lambdaEntry } from '../deps';

export const handler = lambdaEntry(createRevokeAgentKeysHandler);
