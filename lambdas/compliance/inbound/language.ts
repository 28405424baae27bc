import type { Language, RevocationLexicon } from '../../rules/revocation';

/** A detected language, or `und` when nothing in the text says which. */
export type DetectedLanguage = Language | 'und';

const hangul = /[\uac00-\ud7af\u1100-\u11ff\u3130-\u318f]/u;
const han = /[\u3400-\u9fff]/u;
// Letters only Vietnamese uses among the languages served (â, ê, ô are French and Portuguese too).
const vietnamese = /[ăđơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/iu;
const ORDER: readonly Language[] = ['en', 'es', 'pt', 'fr', 'tl', 'vi', 'zh', 'ko'];

/** Detects the language of a text from its script, then from the common words of each lexicon. */
export class LanguageDetector {
  private readonly markers = new Map<string, Language[]>();

  constructor(lexicons: readonly RevocationLexicon[]) {
    for (const lexicon of lexicons) {
      for (const marker of lexicon.markers) {
        const list = this.markers.get(marker);
        if (list === undefined) this.markers.set(marker, [lexicon.language]);
        else if (!list.includes(lexicon.language)) list.push(lexicon.language);
      }
    }
  }

  /**
   * `hint` is the language of the rule that recognised a revocation, if any: it wins a tie.
   * @example detector.detect('No me escriba más', words) // 'es'
   */
  detect(text: string, words: readonly string[], hint?: Language, ascii = false): DetectedLanguage {
    if (!ascii) {
      if (hangul.test(text)) return 'ko';
      if (han.test(text)) return 'zh';
      if (vietnamese.test(text)) return 'vi';
    }
    const scores = new Map<Language, number>();
    for (const word of words) {
      for (const language of this.markers.get(word) ?? []) scores.set(language, (scores.get(language) ?? 0) + 1);
    }
    if (hint !== undefined) scores.set(hint, (scores.get(hint) ?? 0) + 1.5);
    let best: DetectedLanguage = 'und';
    let bestScore = 0;
    for (const language of ORDER) {
      const score = scores.get(language) ?? 0;
      if (score > bestScore) {
        best = language;
        bestScore = score;
      }
    }
    return best;
  }
}
