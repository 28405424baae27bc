import { watchAppendOnly } from '../../streams/append-only-watch';

export const handler = watchAppendOnly;
