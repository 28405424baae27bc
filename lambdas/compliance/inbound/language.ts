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
  private readonly markers = new Map<string, number[]>();
  private readonly scores = new Float64Array(ORDER.length);

  constructor(lexicons: readonly RevocationLexicon[]) {
    for (const lexicon of lexicons) {
      const index = ORDER.indexOf(lexicon.language);
      for (const marker of lexicon.markers) {
        const list = this.markers.get(marker);
        if (list === undefined) this.markers.set(marker, [index]);
        else if (!list.includes(index)) list.push(index);
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
    const { scores } = this;
    scores.fill(0);
    for (const word of words) {
      const languages = this.markers.get(word);
      if (languages !== undefined)
        for (const index of languages) scores[index] = (scores[index] as number) + 1;
    }
    if (hint !== undefined) {
      const index = ORDER.indexOf(hint);
      scores[index] = (scores[index] as number) + 1.5;
    }
    let best: DetectedLanguage = 'und';
    let bestScore = 0;
    for (let i = 0; i < ORDER.length; i++) {
      if ((scores[i] as number) > bestScore) {
        best = ORDER[i] as Language;
        bestScore = scores[i] as number;
      }
    }
    return best;
  }
}
