import { Vocabulary } from '../../../../lambdas/compliance/inbound/vocabulary';

describe('Vocabulary', () => {
  const vocabulary = () => new Vocabulary(['unsubscribe', 'stop', 'texts', 'testing'], ['unsubscribe']);

  it('reads a word the same way the first time and every time after', () => {
    const words = vocabulary();
    const first = words.read('unsuscribe');
    expect(first).toEqual({ word: 'unsubscribe', fuzzy: true });
    expect(words.read('unsuscribe')).toEqual(first);
    expect(words.read('stoppp')).toEqual({ word: 'stop', fuzzy: false });
    expect(words.read('testing')).toEqual({ word: 'testing', fuzzy: false });
  });

  it('keeps reading correctly after more distinct words than its memo holds', () => {
    const words = vocabulary();
    for (let i = 0; i < 50_000; i++) words.read(`w${i}x`);
    expect(words.read('unsubscrbe')).toEqual({ word: 'unsubscribe', fuzzy: true });
    expect(words.read('w7x')).toEqual({ word: 'w7x', fuzzy: false });
  });
});
