import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { revocationLexicons, revocationVersion } from '../../../lambdas/rules/revocation';

describe('revocation lexicons (rules/data/revocation)', () => {
  it('holds one lexicon for each language the corpus labels', () => {
    const languages = revocationLexicons.map((lexicon) => lexicon.language);

    expect(languages.sort()).toEqual(['en', 'es', 'fr', 'ko', 'pt', 'tl', 'vi', 'zh']);
  });

  it.each(revocationLexicons.map((lexicon) => [lexicon.language, lexicon] as const))(
    'names the %s lexicon with a dated version and a source',
    (language, lexicon) => {
      expect(lexicon.version).toMatch(new RegExp(`^revocation-${language}/\\d{4}-\\d{2}-\\d{2}\\.\\d+$`));
      expect(lexicon.source.length).toBeGreaterThan(10);
    },
  );

  it('quotes every language version in the version the ledger records', () => {
    for (const lexicon of revocationLexicons) {
      expect(revocationVersion).toContain(lexicon.version.replace(/^revocation-/, ''));
    }
  });

  it('gives every rule a unique id in its own language', () => {
    const ids = revocationLexicons.flatMap((lexicon) => [
      ...lexicon.patterns.map((pattern) => [lexicon.language, pattern.id]),
      ...lexicon.sequences.map((sequence) => [lexicon.language, sequence.id]),
    ]);

    expect(new Set(ids.map(([, id]) => id)).size).toBe(ids.length);
    for (const [language, id] of ids) expect(id?.startsWith(`${language}.`)).toBe(true);
  });

  it('is generous in the languages the contacts write most', () => {
    const count = (language: string) => {
      const lexicon = revocationLexicons.find((one) => one.language === language);
      return (lexicon?.patterns.length ?? 0) + (lexicon?.sequences.length ?? 0);
    };

    expect(count('en')).toBeGreaterThanOrEqual(60);
    expect(count('es')).toBeGreaterThanOrEqual(35);
    for (const language of ['zh', 'vi', 'tl', 'ko', 'fr', 'pt']) expect(count(language)).toBeGreaterThanOrEqual(10);
  });

  it('never lists a word both as one to correct towards and as a real word kept apart', () => {
    for (const lexicon of revocationLexicons) {
      const overlap = lexicon.fuzzy.filter((word) => lexicon.notFuzzy.includes(word));

      expect(overlap).toEqual([]);
    }
  });

  it('has a Spanish opt-out confirmation that says how to resubscribe', () => {
    const spanish = revocationLexicons.find((lexicon) => lexicon.language === 'es');

    expect(spanish?.optOutConfirmation).toContain('START');
    expect(spanish?.optOutConfirmation).toMatch(/baja/);
  });

  it('stays small enough for the Lambda bundle', () => {
    const dir = join(__dirname, '..', '..', '..', 'lambdas', 'rules', 'data', 'revocation');
    const bytes = revocationLexicons
      .map((lexicon) => readFileSync(join(dir, `${lexicon.language}.json`)).length)
      .reduce((a, b) => a + b, 0);

    expect(bytes).toBeLessThan(150_000);
  });
});
