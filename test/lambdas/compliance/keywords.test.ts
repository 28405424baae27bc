import fc from 'fast-check';
import { classifyInbound, normaliseInbound } from '../../../lambdas/compliance/keywords';
import type { InboundKind } from '../../../lambdas/compliance/types';
import { keywordRules } from '../../../lambdas/rules/keywords';
import { revocationVersion } from '../../../lambdas/rules/revocation';

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
      ['OPT-OUT', 'OPT OUT'],
      ['opt_out', 'OPT OUT'],
      ['S.T.O.P', 'STOP'],
      ['Stop 😡', 'STOP'],
      ['REMOVE', 'REMOVE'],
      ['remove', 'REMOVE'],
      ['ARRET', 'ARRET'],
      ['ARRÊT', 'ARRET'],
      ['arrêt.', 'ARRET'],
    ])('classifies %j as opt_out matching %j', (text, matched) => {
      const result = classifyInbound(text);

      expect(result).toMatchObject({ kind: 'opt_out', matched, certainty: 'clear' });
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

      expect(result).toMatchObject({ kind: 'opt_out', matched, certainty: 'clear' });
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

      expect(result).toMatchObject({ kind: 'opt_in', matched });
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

      expect(result).toMatchObject({ kind: 'help', matched });
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
      ['Please stop texting me', 'en.stop-sending'],
      ['STOP TEXTING ME!!!', 'en.stop-sending'],
      ['Stop texting, I already bought', 'en.stop-sending'],
      ['Can you please remove me from your list?', 'en.remove-me'],
      ['take me off your list thanks', 'en.take-me-off'],
      ["Don't text me", 'en.neg-send-me'],
      ['dont text me anymore', 'en.neg-send-me'],
      ['Do not contact me again.', 'en.neg-send-me'],
      ['Lose my number', 'en.remove-my-number'],
      ['Leave me alone!', 'en.leave-alone'],
      ['No more texts', 'en.no-more'],
      ['Wrong number, sorry', 'en.wrong-number'],
      ['If you dont stop texting me I will report you', 'en.stop-sending'],
      ['I already told you to stop messaging me', 'en.asked-to-stop'],
      ['I revoke my consent to receive text messages', 'en.revoke-consent'],
    ])('reads %j as a clear revocation (%s)', (text, rule) => {
      const result = classifyInbound(text);

      expect(result).toMatchObject({ kind: 'revocation', certainty: 'clear', rule, language: 'en' });
      expect(result.rulesVersion).toBe(revocationVersion);
    });

    it.each([
      ['Stop please', 'en.bare-stop'],
      ['Stop! Who is this?', 'en.bare-stop'],
      ['Not interested', 'en.not-interested'],
      ['No thanks', 'en.no-thanks'],
      ['please don\'t', 'en.please-dont-bare'],
      ['Stopp', 'en.bare-stop'],
      ['🛑🛑🛑', 'en.emoji-stop'],
    ])('reads the unsure %j as a likely revocation (%s): honouring it is the safe side', (text, rule) => {
      const result = classifyInbound(text);

      expect(result).toMatchObject({ kind: 'revocation', certainty: 'likely', rule });
    });

    it('marks a revocation heard through a corrected typo as likely', () => {
      const result = classifyInbound('please unsubsrcibe me');

      expect(result).toMatchObject({ kind: 'revocation', certainty: 'likely' });
    });

    it.each([
      ['No me envíe más mensajes', 'es'],
      ['no me mande mas mensajes', 'es'],
      ['Por favor no me envíe más mensajes', 'es'],
      ['Bórrame de la lista', 'es'],
      ['borrame de tu lista porfa', 'es'],
      ['Ya no', 'es'],
      ['Número equivocado', 'es'],
      ['¡Déjame en paz!', 'es'],
      ['Quiero darme de baja', 'es'],
      ['No más', 'es'],
      ['请不要再给我发短信了', 'zh'],
      ['退订', 'zh'],
      ['Đừng nhắn tin cho tôi nữa', 'vi'],
      ['Huwag mo na akong i-text', 'tl'],
      ['수신거부', 'ko'],
      ["Arrêtez de m'envoyer des messages", 'fr'],
      ['Não me mande mais mensagens', 'pt'],
    ])('reads %j as a revocation in %s', (text, language) => {
      const result = classifyInbound(text);

      expect(result).toMatchObject({ kind: 'revocation', language });
    });
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

      expect(result.kind).toBe('other');
    });
  });

  describe('hard negatives', () => {
    it.each([
      'Stop! We got the house!',
      'Stop it, you are making me blush 😂',
      'Can you cancel the showing at 3?',
      "Don't stop sending me listings",
      'Please don\'t stop texting me the new listings',
      'No más de 350 mil',
      'No dejes de mandarme casas',
      'Para el viernes está bien',
      '有几个停车位？',
      "On peut s'arrêter à la boulangerie ?",
      'Pode parar o carro na frente',
      'Huminto muna tayo sa gasolinahan',
      'No thanks, maybe next spring',
      'Stop calling me at work, just text',
    ])('classifies %j as other', (text) => {
      const result = classifyInbound(text);

      expect(result.kind).toBe('other');
    });
  });

  describe('bad input', () => {
    it.each([
      ['empty', ''],
      ['whitespace only', ' \t\n  '],
      ['emoji only', '👍😂❤️'],
      ['control characters', '\u0000\u0007\u001b'],
      ['a lone surrogate', '\ud83d'],
      ['1,600 neutral characters', 'We loved the kitchen and the yard. '.repeat(46).slice(0, 1600)],
    ])('classifies %s as other without throwing', (_name, text) => {
      const result = classifyInbound(text);

      expect(result.kind).toBe('other');
    });

    it('hears a revocation at the end of a 1,600-character text', () => {
      const text = `${'We loved the kitchen and the yard. '.repeat(45)}Please stop texting me.`.slice(-1600);

      const result = classifyInbound(text);

      expect(result.kind).toBe('revocation');
    });

    it.each(['Danke, bis Samstag', 'Grazie mille, a presto', 'ありがとうございます', 'Bitte keine Fotos mehr'])(
      'classifies %j, in a language no lexicon holds, as other',
      (text) => {
        const result = classifyInbound(text);

        expect(result.kind).toBe('other');
      },
    );

    it.each([
      ['STOP', 'opt_out'],
      ['Bitte STOP', 'revocation'],
      ['Per favore, stop', 'revocation'],
    ])('classifies %j, in a language no lexicon holds, by the keyword it holds', (text, kind) => {
      const result = classifyInbound(text);

      expect(result.kind).toBe(kind);
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
          expect(result).toMatchObject({ kind: read(keyword).kind, matched: read(keyword).matched });
          expect(result.kind).toBe(kind);
        }),
      );
    });

    const neutral = fc.constantFrom(
      'Hi Jen.',
      'Hello!',
      'Good morning,',
      'Thanks.',
      'We sold last year.',
      'Sorry for the late reply.',
      'Happy holidays!',
      'Hope you are well.',
      'This is Sam from Elm St.',
      'Hola.',
    );
    const clearRevocations = [
      'stop texting me',
      'please remove me from your list',
      'no more texts',
      'unsubscribe me',
      'do not text me again',
      'take me off your list',
      'you have the wrong number',
      'lose my number',
      'no me envíe más mensajes',
      'bórrame de la lista',
    ];

    it('keeps a clear revocation revoking when neutral sentences pad it', () => {
      const padded = fc.record({
        sentence: fc.constantFrom(...clearRevocations),
        before: fc.array(neutral, { maxLength: 3 }),
        after: fc.array(neutral, { maxLength: 3 }),
        shout: fc.boolean(),
      });

      fc.assert(
        fc.property(padded, ({ sentence, before, after, shout }) => {
          const core = shout ? sentence.toUpperCase() : sentence;
          const result = classifyInbound([...before, `${core}.`, ...after].join(' '));
          expect(result.kind).toBe('revocation');
        }),
      );
    });

    it('never reads a negated stop of the texts as a revocation', () => {
      const negated = fc.record({
        negator: fc.constantFrom("don't", 'do not', 'never', 'please don\'t', 'Please never'),
        verb: fc.constantFrom('stop sending', 'stop texting', 'quit sending', 'stop'),
        object: fc.constantFrom('me listings', 'me the updates', 'the listing alerts', 'these market updates'),
      });

      fc.assert(
        fc.property(negated, ({ negator, verb, object }) => {
          const result = classifyInbound(`${negator} ${verb} ${object}`);
          expect(result.kind).toBe('other');
        }),
      );
    });

    it('reads typos of one letter in a revocation verb the same way', () => {
      const typo = fc.record({
        at: fc.integer({ min: 1, max: 'unsubscribe'.length - 1 }),
        kind: fc.constantFrom('drop', 'double', 'swap'),
      });

      fc.assert(
        fc.property(typo, ({ at, kind }) => {
          const word = 'unsubscribe';
          const misspelt =
            kind === 'drop'
              ? word.slice(0, at) + word.slice(at + 1)
              : kind === 'double'
                ? word.slice(0, at) + word.charAt(at) + word.slice(at)
                : word.slice(0, at - 1) + word.charAt(at) + word.charAt(at - 1) + word.slice(at + 1);
          const result = classifyInbound(`please ${misspelt} me`);
          expect(result.kind).toBe('revocation');
        }),
      );
    });

    it('classifies any text without throwing and with one of the five kinds, long texts included', () => {
      const texts = fc.oneof(
        fc.string({ unit: 'grapheme', maxLength: 200 }),
        fc.string({ unit: 'binary', minLength: 1500, maxLength: 1600 }),
      );

      fc.assert(
        fc.property(texts, (text) => {
          const result = classifyInbound(text);
          expect(['opt_out', 'revocation', 'opt_in', 'help', 'other']).toContain(result.kind);
        }),
      );
    });
  });
});
