import fc from 'fast-check';
import {
  analyzeContent,
  countSegments,
  shaftFlagsByPatterns,
  shortenerUrlsByPattern,
} from '../../../lambdas/compliance/content';
import { contentRules, gsm7Escape } from '../../../lambdas/rules/content';

const gsmBasic = [...contentRules.gsm7.basic.join('')].filter((char) => char !== gsm7Escape);
const gsmExtension = Object.values(contentRules.gsm7.extension);
const capacity = { 'GSM-7': { single: 160, part: 153 }, 'UCS-2': { single: 70, part: 67 } } as const;

describe('countSegments', () => {
  it.each([
    ['', 'GSM-7', 0, 1],
    ['a'.repeat(160), 'GSM-7', 160, 1],
    ['a'.repeat(161), 'GSM-7', 161, 2],
    ['a'.repeat(306), 'GSM-7', 306, 2],
    ['a'.repeat(307), 'GSM-7', 307, 3],
    ['ж'.repeat(70), 'UCS-2', 70, 1],
    ['ж'.repeat(71), 'UCS-2', 71, 2],
    ['ж'.repeat(134), 'UCS-2', 134, 2],
    ['ж'.repeat(135), 'UCS-2', 135, 3],
  ])('counts %j as %s, %i units, %i segments', (body, encoding, units, segments) => {
    const count = countSegments(body);

    expect(count).toEqual({ encoding, units, segments });
  });

  it('counts an extension character as two septets at the 160 boundary', () => {
    const fits = `${'a'.repeat(158)}€`;
    const overflows = `${'a'.repeat(159)}€`;

    const [one, two] = [countSegments(fits), countSegments(overflows)];

    expect(one).toEqual({ encoding: 'GSM-7', units: 160, segments: 1 });
    expect(two).toEqual({ encoding: 'GSM-7', units: 161, segments: 2 });
  });

  it.each(gsmExtension)('counts the extension character %j as two septets', (char) => {
    const count = countSegments(char.repeat(81));

    expect(count).toEqual({ encoding: 'GSM-7', units: 162, segments: 2 });
  });

  it('never splits an escape pair across the 153-septet boundary', () => {
    // 152 + [ESC €] + 152 = 306 septets: a naive ceil(306 / 153) says 2, but the pair moves whole to part 2.
    const body = `${'a'.repeat(152)}€${'a'.repeat(152)}`;

    const count = countSegments(body);

    expect(count).toEqual({ encoding: 'GSM-7', units: 306, segments: 3 });
  });

  it('fills the first part exactly when the escape pair ends on septet 153', () => {
    const body = `${'a'.repeat(151)}€${'a'.repeat(153)}`;

    const count = countSegments(body);

    expect(count).toEqual({ encoding: 'GSM-7', units: 306, segments: 2 });
  });

  it('never splits a surrogate pair across the 67-unit boundary', () => {
    const body = `${'a'.repeat(66)}😀${'a'.repeat(66)}`;

    const count = countSegments(body);

    expect(count).toEqual({ encoding: 'UCS-2', units: 134, segments: 3 });
  });

  it('switches to UCS-2 for a single emoji and counts it as two code units', () => {
    const body = `${'a'.repeat(69)}😀`;

    const count = countSegments(body);

    expect(count).toEqual({ encoding: 'UCS-2', units: 71, segments: 2 });
  });

  it.each([
    ['a curly apostrophe', 'It’s listed'],
    ['a lower-case ç (only Ç is GSM-7)', 'façade'],
    ['an accented í (not in the table)', 'sí'],
    ['a bare escape code', `a${gsm7Escape}`],
  ])('switches to UCS-2 for %s', (_label, body) => {
    const count = countSegments(body);

    expect(count.encoding).toBe('UCS-2');
  });

  it('keeps GSM-7 for every character of the default alphabet together', () => {
    const body = gsmBasic.join('');

    const count = countSegments(body);

    expect(count).toEqual({ encoding: 'GSM-7', units: 127, segments: 1 });
  });

  describe('properties', () => {
    const gsmChar = fc.constantFrom(...gsmBasic, ...gsmExtension);
    const gsmBody = fc.string({ unit: gsmChar, maxLength: 600 });
    const ucsBody = fc
      .tuple(fc.string({ unit: 'binary', maxLength: 300 }), fc.constantFrom('ж', '😀', '’', 'ç'))
      .map(([text, nonGsm]) => `${nonGsm}${text}`);

    it('never decreases when a character of the same encoding is appended', () => {
      const cases = fc.oneof(
        fc.tuple(gsmBody, gsmChar),
        fc.tuple(ucsBody, fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })),
      );

      const grow = (body: string, char: string) => [countSegments(body), countSegments(body + char)] as const;

      fc.assert(
        fc.property(cases, ([body, char]) => {
          const [before, after] = grow(body, char);
          expect(after.encoding).toBe(before.encoding);
          expect(after.segments).toBeGreaterThanOrEqual(before.segments);
        }),
      );
    });

    it('has room for every unit and wastes at most one unit per part', () => {
      const bodies = fc.oneof(gsmBody, ucsBody);

      const measure = (body: string) => countSegments(body);

      fc.assert(
        fc.property(bodies, (body) => {
          const { encoding, units, segments } = measure(body);
          const { single, part } = capacity[encoding];
          const room = segments === 1 ? single : segments * part;
          const wasteBound = segments === 1 ? 0 : (segments - 1) * (part - 1);
          const chars = [...body].length;
          const [fewest, most] = encoding === 'UCS-2' ? [body.length, body.length] : [chars, 2 * chars];
          expect(units).toBeLessThanOrEqual(room);
          expect(units === 0 || units > wasteBound).toBe(true);
          expect(units).toBeGreaterThanOrEqual(fewest);
          expect(units).toBeLessThanOrEqual(most);
        }),
      );
    });
  });
});

describe('analyzeContent', () => {
  it('reports the segments and encoding of the body', () => {
    const body = 'Hi Jane, the open house is Sunday 1-3pm. Reply STOP to opt out';

    const analysis = analyzeContent(body);

    expect(analysis).toEqual({ encoding: 'GSM-7', segments: 1, shortenerUrls: [], shaftFlags: [] });
  });

  describe('shortenerUrls', () => {
    it.each([
      ['with a scheme', 'See https://bit.ly/3xYz for photos', ['https://bit.ly/3xYz']],
      ['without a scheme', 'Photos: bit.ly/3xYz', ['bit.ly/3xYz']],
      ['with www. and capitals', 'Tour at WWW.TinyURL.com/elm-st.', ['WWW.TinyURL.com/elm-st']],
      ['as a bare host', 'I use tinyurl.com for links', ['tinyurl.com']],
      ['on a subdomain of a shortener', 'Go to http://go.rebrand.ly/abc!', ['http://go.rebrand.ly/abc']],
      ['inside parentheses', 'Listing (t.co/abc)', ['t.co/abc']],
      ['several times', 'A: is.gd/a, B: https://cutt.ly/b', ['is.gd/a', 'https://cutt.ly/b']],
      ['with a port and query', 'http://ow.ly:80/x?y=1', ['http://ow.ly:80/x?y=1']],
    ])('flags a shortener %s', (_label, body, expected) => {
      const analysis = analyzeContent(body);

      expect(analysis.shortenerUrls).toEqual(expected);
    });

    it.each([
      ['a longer domain that contains bit.ly', 'Visit orbit.lyon.example/tour'],
      ['a domain ending in bit.ly without a dot boundary', 'Visit orbit.ly/tour'],
      ['a domain that starts with a shortener name', 'See tinyurl.company.example/x'],
      ['an e-mail address at a shortener domain', 'Write to jane@bit.ly please'],
      ['an ordinary listing link', 'https://www.zillow.com/homedetails/123-Elm-St'],
      ['a sentence with "t. co"', 'Meet at. Co-op board at 5'],
    ])('does not flag %s', (_label, body) => {
      const analysis = analyzeContent(body);

      expect(analysis.shortenerUrls).toEqual([]);
    });
  });

  describe('shaftFlags', () => {
    it.each([
      ['Join us for wine and cheese at the open house', ['alcohol']],
      ['Cocktails on the rooftop after the tour', ['alcohol']],
      ['Happy-hour mixer at the clubhouse', ['alcohol']],
      ['Gun show this weekend near the listing', ['firearms']],
      ['Free AR15 raffle for buyers', ['firearms']],
      ['Vape shop and cigars downstairs', ['tobacco']],
      ['Sexy kitchen, must see', ['sex']],
      ['Whites only community', ['hate']],
      ['Steps from the marijuana dispensary', ['cannabis']],
      ['Beer, guns and tobacco: the perfect man cave', ['alcohol', 'firearms', 'tobacco']],
      ['WINE and more wine and a winery', ['alcohol']],
      ['CBD gummies at the welcome table', ['cannabis']],
      ['Cannabidiol samples from the CBD shop next door', ['cannabis']],
      ['Edibles and kush at the after-party', ['cannabis']],
      ['XXX adult videos, nude photos', ['sex']],
      ['Strippers at the housewarming', ['sex']],
    ])('flags %j as %j', (body, expected) => {
      const analysis = analyzeContent(body);

      expect(analysis.shaftFlags).toEqual(expected);
    });

    it.each([
      'This class of homes is first-rate',
      'Scunthorpe family home',
      'Close to a therapist and a dentist',
      'Pineapple express moving company',
      'Essex and Middlesex county listings',
      'Gunite pool in the back yard',
      'Condo in the CBD with a view',
      'Washer/dryer hookups in the garage',
      'Weed-free lawn and a pot filler over the stove',
      'Smoke detectors in every room',
      'Temperature-controlled wine cellar in the basement',
      'Classic New Orleans shotgun house on Bourbon Street',
      'Bring a nail gun for the deck repair',
      'Champagne bronze fixtures throughout',
      'Analysis of comps attached',
      'Gin-clear lake views',
    ])('does not flag %j', (body) => {
      const analysis = analyzeContent(body);

      expect(analysis.shaftFlags).toEqual([]);
    });
  });
});

describe('analyzeContent SHAFT screening', () => {
  const entries = Object.entries(contentRules.shaft.categories).flatMap(([category, terms]) =>
    terms.map((term) => ({ category, term })),
  );

  it('flags every listed term however its words are joined, cased or pluralised', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...entries),
        fc.constantFrom('', ' ', '-'),
        fc.constantFrom('', 's'),
        fc.boolean(),
        ({ category, term }, joiner, plural, upper) => {
          const written = term.split(/[\s-]+/).join(joiner) + plural;
          const body = `Hi Sam, quick note about ${upper ? written.toUpperCase() : written} near the listing today.`;

          expect(analyzeContent(body).shaftFlags).toContain(category);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('the SHAFT word screen', () => {
  const vocabulary = [
    ...new Set(
      Object.values(contentRules.shaft.categories)
        .flat()
        .concat(contentRules.shaft.exempt)
        .flatMap((term) => term.toLowerCase().split(/[\s-]+/)),
    ),
    'the',
    'house',
    'open',
    'happy',
    'home',
  ];

  it('never clears a text the patterns would flag', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.constantFrom(...vocabulary),
            fc.constantFrom(
              '',
              ' ',
              '-',
              ', ',
              's ',
              'es-',
              ' 🏡 ',
              'é ',
              '\u0301 ',
              '\u0301',
              '\uff0d',
              'Ⓢ',
              '½ ',
            ),
          ),
          {
            minLength: 1,
            maxLength: 8,
          },
        ),
        (pieces) => {
          const body = pieces.map(([word, gap]) => word + gap).join('');

          // The patterns read the text folded as the gate folds it: accents off, lower case.
          const folded = body.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
          expect(analyzeContent(body).shaftFlags).toEqual(shaftFlagsByPatterns(folded));
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('the URL shortener screen', () => {
  const pieces = [
    ...contentRules.urlShorteners,
    ...contentRules.urlShorteners.map((domain) => domain.toUpperCase()),
    'https://',
    'www.',
    'x.',
    '/abc',
    '.',
    'harborrealty.example.com',
    'ly',
    'co',
    'bit',
    'é',
    ' ',
    '@',
  ];

  it('never clears a text the host pattern would refuse', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { minLength: 1, maxLength: 10 }), (parts) => {
        const body = parts.join('');

        expect(analyzeContent(body).shortenerUrls).toEqual(shortenerUrlsByPattern(body));
      }),
      { numRuns: 3000 },
    );
  });
});
