import fc from 'fast-check';
import { classifyInbound, normaliseInbound } from '../../../lambdas/compliance/keywords';
import type { InboundKind } from '../../../lambdas/compliance/types';
import { keywordRules } from '../../../lambdas/rules/keywords';

describe('normaliseInbound', () => {
  it.each([
    ['  Opt-Out!! ', 'optout'],
    ['ARRÊT', 'arret'],
    ["Don't  text\tme.", 'dont text me'],
    ['Don’t text me', 'dont text me'],
    ['ＳＴＯＰ', 'stop'],
    ['S\u200BTOP', 'stop'],
    ['¿No   más?', 'no mas'],
    ['opt_out', 'optout'],
  ])('folds %j to %j', (text, expected) => {
    const folded = normaliseInbound(text);

    expect(folded).toBe(expected);
  });
});

describe('classifyInbound', () => {
  describe('opt-out keywords (RULES §2, whole message)', () => {
    it.each([
      ['STOP', 'STOP'],
      ['stop', 'STOP'],
      [' Stop. ', 'STOP'],
      ['stop!!', 'STOP'],
      ['"STOP"', 'STOP'],
      ['STOP 🛑', 'STOP'],
      ['ＳＴＯＰ', 'STOP'],
      ['STOPALL', 'STOPALL'],
      ['StopAll', 'STOPALL'],
      ['STOP ALL', 'STOP ALL'],
      ['stop all', 'STOP ALL'],
      ['Stop   all!', 'STOP ALL'],
      ['UNSUBSCRIBE', 'UNSUBSCRIBE'],
      ['unsubscribe.', 'UNSUBSCRIBE'],
      ['CANCEL', 'CANCEL'],
      ['Cancel', 'CANCEL'],
      ['END', 'END'],
      ['end.', 'END'],
      ['QUIT', 'QUIT'],
      ['quit!', 'QUIT'],
      ['REVOKE', 'REVOKE'],
      ['revoke', 'REVOKE'],
      ['OPTOUT', 'OPTOUT'],
      ['optout', 'OPTOUT'],
      ['OPT OUT', 'OPT OUT'],
      ['opt out', 'OPT OUT'],
      ['OPT-OUT', 'OPTOUT'],
      ['opt_out', 'OPTOUT'],
      ['REMOVE', 'REMOVE'],
      ['remove', 'REMOVE'],
      ['ARRET', 'ARRET'],
      ['ARRÊT', 'ARRET'],
      ['arrêt.', 'ARRET'],
    ])('classifies %j as opt_out matching %j', (text, matched) => {
      const result = classifyInbound(text);

      expect(result).toEqual({ kind: 'opt_out', matched });
    });

    it.each(keywordRules.optOut)('classifies the data keyword %j as opt_out', (keyword) => {
      const result = classifyInbound(keyword);

      expect(result.kind).toBe('opt_out');
      expect(keywordRules.optOut).toContain(result.matched);
    });

    it.each([
      ['STOP STOP STOP', 'STOP'],
      ['Stop. Stop!', 'STOP'],
      ['stop unsubscribe', 'STOP'],
      ['YES STOP', 'STOP'],
      ['help stop', 'STOP'],
    ])('classifies keyword-only %j as opt_out: any opt-out word wins', (text, matched) => {
      const result = classifyInbound(text);

      expect(result).toEqual({ kind: 'opt_out', matched });
    });

    it('does not read "stop by tomorrow" as the STOP keyword', () => {
      const result = classifyInbound('stop by tomorrow');

      expect(result.kind).toBe('other');
    });
  });

  describe('opt-in and help keywords', () => {
    it.each([
      ['START', 'START'],
      ['start.', 'START'],
      ['UNSTOP', 'UNSTOP'],
      ['Unstop', 'UNSTOP'],
      ['YES', 'YES'],
      ['yes!', 'YES'],
      [' Yes ', 'YES'],
      ['YES YES', 'YES'],
    ])('classifies %j as opt_in matching %j', (text, matched) => {
      const result = classifyInbound(text);

      expect(result).toEqual({ kind: 'opt_in', matched });
    });

    it.each([
      ['HELP', 'HELP'],
      ['help?', 'HELP'],
      ['INFO', 'INFO'],
      ['Info.', 'INFO'],
      ['yes help', 'HELP'],
      ['start info', 'INFO'],
    ])('classifies %j as help matching %j', (text, matched) => {
      const result = classifyInbound(text);

      expect(result).toEqual({ kind: 'help', matched });
    });

    it.each([
      'yes please',
      'Yes, but only if the HOA is under 300',
      'Start the paperwork whenever',
      'Help me understand the closing costs',
      'Info on the school district please',
    ])('does not take %j as a keyword: consent and help need the bare word', (text) => {
      const result = classifyInbound(text);

      expect(result.kind).toBe('other');
    });
  });

  describe('natural-language revocations', () => {
    it.each([
      ['Please stop texting me', 'stop texting me'],
      ['STOP TEXTING ME!!!', 'stop texting me'],
      ['Stop texting, I already bought', 'stop texting'],
      ['Can you please remove me from your list?', 'remove me from your list'],
      ['take me off your list thanks', 'take me off your list'],
      ["Don't text me", "don't text me"],
      ['dont text me anymore', "don't text me"],
      ['Do not contact me again.', 'do not contact me'],
      ['Lose my number', 'lose my number'],
      ['Leave me alone!', 'leave me alone'],
      ['Unsubscribe me please', 'unsubscribe me'],
      ['No more texts', 'no more texts'],
      ['Who is this? Stop sending me this stuff', 'stop sending'],
      ['No, stop texting me', 'stop texting me'],
      ['Stop please', 'stop'],
      ['Stop! Who is this?', 'stop'],
      ['ok STOP now', 'stop'],
      ['Opt-out please', 'optout'],
      ['Wrong number, sorry', 'wrong number'],
      ["You've got the wrong number", "you've got the wrong number"],
      ['If you dont stop texting me I will report you', 'stop texting me'],
      ['When will you stop sending me these?', 'stop sending'],
      ['never text me again', 'never text me again'],
      ['I already told you to stop messaging me', 'stop messaging me'],
    ])('reads %j as a revocation of %j', (text, matched) => {
      const result = classifyInbound(text);

      expect(result).toEqual({ kind: 'revocation', matched });
    });

    it.each([
      ['No más', 'no más'],
      ['no mas!', 'no más'],
      ['No más, gracias', 'no más'],
      ['No más mensajes por favor', 'no más mensajes'],
      ['no mas mensajes', 'no más mensajes'],
      ['Ya no me escribas', 'ya no me escribas'],
      ['No me envíes más mensajes.', 'no me envíes más mensajes'],
      ['Bórrame de tu lista', 'bórrame de tu lista'],
      ['borrame de tu lista porfa', 'bórrame de tu lista'],
      ['¡Déjame en paz!', 'déjame en paz'],
      ['Deja de escribirme', 'deja de escribirme'],
      ['Quiero darme de baja', 'quiero darme de baja'],
      ['BAJA por favor', 'baja'],
      ['Ya basta', 'basta'],
    ])('reads the Spanish %j as a revocation of %j', (text, matched) => {
      const result = classifyInbound(text);

      expect(result).toEqual({ kind: 'revocation', matched });
    });

    it.each([...keywordRules.revocation.anywhere.en, ...keywordRules.revocation.anywhere.es])(
      'reads the data phrase %j inside a longer text as a revocation',
      (phrase) => {
        const text = `Hi Jane, ${phrase}. Thanks`;

        const result = classifyInbound(text);

        expect(result).toEqual({ kind: 'revocation', matched: phrase });
      },
    );

    it.each([...keywordRules.revocation.standalone.en, ...keywordRules.revocation.standalone.es])(
      'reads the data phrase %j as a revocation when it is a whole clause with courtesies',
      (phrase) => {
        const text = `Please ${phrase}, thanks!`;

        const result = classifyInbound(text);

        expect(result).toEqual({ kind: 'revocation', matched: phrase });
      },
    );
  });

  describe('ordinary real-estate replies with trap words', () => {
    it.each([
      "I'll stop by the open house on Sunday",
      'Stop by anytime after 5',
      'Please stop by the office to sign',
      'Can you remove the old photos from the listing?',
      'Remove the contingency and we will sign',
      "Don't stop sending me listings, I love them!",
      'Never stop sending me these market updates',
      'Why did you stop sending listings?',
      "Why'd you stop texting me? Miss the updates",
      'My wife says do not stop texting me the new listings',
      'please text me the address',
      'Please keep texting me about the Elm St house',
      'End of the month works',
      'End unit or middle unit?',
      'cancel my showing at 3',
      'Cancel the 4pm, we will reschedule',
      'No more questions, thanks',
      'No more than 400k please',
      'quit my job so we are moving',
      'Quit worrying, we love the house',
      'STOP sign at the corner is broken',
      'Stop all the showings until we get back',
      '¿No más de 300 mil?',
      'No más de tres recámaras, por favor',
      'No me envíes la dirección todavía',
      'Deja de preocuparte, ya firmamos',
      'The seller wants to take the fridge off the list of inclusions',
      'Can you send me the list of comps?',
      'Leave the key under the mat',
      'Lose the carpet and it would sell faster',
      'Do not contact the listing agent before we talk',
      'I want to opt out of the inspection contingency',
      'Opt out of the HOA? Is that possible?',
      'The unsubscribe link in your email is broken but I still want the texts',
      'Unstop the drain before the buyers visit lol',
      'The remove-and-replace quote came back at 4k',
      'Did they remove me from the list of bidders?',
    ])('classifies %j as other', (text) => {
      const result = classifyInbound(text);

      expect(result).toEqual({ kind: 'other' });
    });
  });

  describe('the phrase data', () => {
    it('has at least 25 English and 10 Spanish revocation phrases', () => {
      const { standalone, anywhere } = keywordRules.revocation;

      const english = standalone.en.length + anywhere.en.length;
      const spanish = standalone.es.length + anywhere.es.length;

      expect(english).toBeGreaterThanOrEqual(25);
      expect(spanish).toBeGreaterThanOrEqual(10);
    });

    it('has no two revocation phrases that fold to the same words', () => {
      const { standalone, anywhere } = keywordRules.revocation;
      const phrases = [...standalone.en, ...standalone.es, ...anywhere.en, ...anywhere.es];

      const folded = new Set(phrases.map(normaliseInbound));

      expect(folded.size).toBe(phrases.length);
    });
  });

  describe('properties', () => {
    const keywordKinds: [string, InboundKind][] = [
      ...keywordRules.optOut.map((keyword): [string, InboundKind] => [keyword, 'opt_out']),
      ...keywordRules.optIn.map((keyword): [string, InboundKind] => [keyword, 'opt_in']),
      ...keywordRules.help.map((keyword): [string, InboundKind] => [keyword, 'help']),
    ];

    it('never throws, whatever the text', () => {
      const anyCodeUnit = fc.integer({ min: 0, max: 0xffff }).map((unit) => String.fromCharCode(unit));
      const texts = fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: anyCodeUnit }));

      const run = (text: string) => classifyInbound(text);

      fc.assert(fc.property(texts, (text) => expect(() => run(text)).not.toThrow()));
    });

    it('reads a keyword the same whatever its case, surrounding whitespace and trailing punctuation', () => {
      const variants = fc.record({
        entry: fc.constantFrom(...keywordKinds),
        upper: fc.array(fc.boolean(), { minLength: 16, maxLength: 16 }),
        before: fc.string({ unit: fc.constantFrom(' ', '\t', '\n', '\u00a0') }),
        after: fc.string({ unit: fc.constantFrom(' ', '\t', '\n', '\u00a0') }),
        punctuation: fc.string({ unit: fc.constantFrom('.', '!', '?', ',', ';', ':', '…') }),
      });

      const read = (text: string) => classifyInbound(text);

      fc.assert(
        fc.property(variants, ({ entry: [keyword, kind], upper, before, after, punctuation }) => {
          const cased = [...keyword].map((c, i) => (upper[i] ? c.toUpperCase() : c.toLowerCase())).join('');
          const result = read(`${before}${cased}${punctuation}${after}`);
          expect(result).toEqual(read(keyword));
          expect(result.kind).toBe(kind);
        }),
      );
    });
  });
});
