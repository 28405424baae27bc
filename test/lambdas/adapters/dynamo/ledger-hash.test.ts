import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { canonicalJson, chainHash, GENESIS_HASH } from '../../../../lambdas/adapters/dynamo/ledger-hash';

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops undefined members', () => {
    // prepare
    const value = { b: 1, a: { d: [{ z: true, y: null }], c: undefined }, e: 'x' };

    // act
    const json = canonicalJson(value);

    // assess
    expect(json).toBe('{"a":{"d":[{"y":null,"z":true}]},"b":1,"e":"x"}');
  });

  it('serialises the same object identically whatever its key order', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (record) => {
        const reversed = Object.fromEntries(Object.entries(record).reverse());
        expect(canonicalJson(reversed)).toBe(canonicalJson(record));
        expect(JSON.parse(canonicalJson(record))).toStrictEqual(JSON.parse(JSON.stringify(record)));
      }),
    );
  });
});

describe('chainHash', () => {
  const event = {
    chainId: 'agt_1#+14155550100',
    seq: 1,
    id: 'evt_1',
    type: 'express_written',
    evidence: 'YES',
  };

  it('is sha256 of the previous hash followed by the canonical event without its hashes', () => {
    // prepare
    const withHashes = { ...event, prevHash: 'p'.repeat(64), hash: 'h'.repeat(64) };
    const expected = createHash('sha256')
      .update(
        `${GENESIS_HASH}{"chainId":"agt_1#+14155550100","evidence":"YES","id":"evt_1","seq":1,"type":"express_written"}`,
      )
      .digest('hex');

    // act
    const hash = chainHash(GENESIS_HASH, withHashes);

    // assess
    expect(hash).toBe(expected);
  });

  it('changes when any field or the previous hash changes', () => {
    // prepare
    const original = chainHash(GENESIS_HASH, event);

    // act
    const edited = chainHash(GENESIS_HASH, { ...event, evidence: 'YES!' });
    const relinked = chainHash('1'.repeat(64), event);

    // assess
    expect(edited).not.toBe(original);
    expect(relinked).not.toBe(original);
    expect(GENESIS_HASH).toMatch(/^0{64}$/);
  });
});
