import type { ChainVerification } from '../../ports';
import { chainHash, GENESIS_HASH } from './ledger-hash';

type ChainHead = { seq: number; hash: string };

/**
 * Checks one hash chain, records in stored order, against its head: every seq present from 1, each
 * `prevHash` the previous record's hash, each `hash` over the record's contents, the head on the last.
 */
export function verifyChain(
  chainId: string,
  records: readonly { seq: number; id: string; prevHash: string; hash: string }[],
  head: ChainHead | undefined,
  noun: 'event' | 'opt-out',
): ChainVerification {
  const sorted = [...records].sort((a, b) => a.seq - b.seq);
  const report = (seq: number, id: string, problem: string): ChainVerification => ({
    chainId,
    events: sorted.length,
    ok: false,
    firstBroken: { seq, id, problem },
  });
  let previousHash = GENESIS_HASH;
  for (const [index, record] of sorted.entries()) {
    const seq = index + 1;
    if (record.seq !== seq)
      return report(seq, record.id, `seq ${seq} is missing: the next ${noun} is seq ${record.seq}`);
    if (record.prevHash !== previousHash) {
      return report(
        seq,
        record.id,
        `prevHash is not the hash of ${seq === 1 ? 'genesis' : `seq ${seq - 1}`}`,
      );
    }
    if (chainHash(previousHash, record) !== record.hash) {
      return report(seq, record.id, `hash does not match the ${noun}'s contents`);
    }
    previousHash = record.hash;
  }
  const last = sorted.at(-1);
  if (head === undefined) {
    return last === undefined
      ? { chainId, events: 0, ok: true }
      : report(last.seq, last.id, 'the chain head is missing');
  }
  if (head.seq > sorted.length) {
    return report(
      sorted.length + 1,
      '',
      `seq ${sorted.length + 1} is missing: the head is at seq ${head.seq}`,
    );
  }
  const atHead = sorted[head.seq - 1];
  if (atHead === undefined || atHead.hash !== head.hash) {
    return report(head.seq, atHead?.id ?? '', `the head hash does not match seq ${head.seq}`);
  }
  return { chainId, events: sorted.length, ok: true };
}
