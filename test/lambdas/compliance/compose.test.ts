import fc from 'fast-check';
import { composeBody, endsWithFooter, namesAgent } from '../../../lambdas/compliance/compose';
import { messageTexts } from '../../../lambdas/rules/messages';

const agent = { name: 'Dana Reyes', brokerage: 'Harbor Realty' };
const footer = messageTexts.optOutFooter;

describe('composeBody', () => {
  it('adds the footer to a drip text that only uses "stop" and "opt out" in a sentence', () => {
    // prepare
    const body = "Dana Reyes here: don't stop by the open house if you'd rather opt out of crowds.";

    // act
    const composed = composeBody(body, agent, 'automated');

    // assess
    expect(composed).toBe(`${body}\n${footer}`);
  });

  it('adds no footer when the text already ends with it', () => {
    // prepare
    const body = `Dana Reyes here, happy new year! ${footer}.`;

    // act
    const composed = composeBody(body, agent, 'automated');

    // assess
    expect(composed).toBe(body);
  });

  it('adds the prefix when the agent’s short name only occurs inside another word', () => {
    // prepare
    const short = { name: 'Al', brokerage: 'Harbor Realty' };
    const body = 'Also, the Alder St listing just dropped its price.';

    // act
    const composed = composeBody(body, short, 'manual');

    // assess
    expect(composed).toBe(`Al (Harbor Realty): ${body}`);
  });

  it('adds no prefix when the text names the agent as whole words, in any case', () => {
    // act
    const composed = composeBody('hi Sam, dana  reyes here.', agent, 'manual');

    // assess
    expect(composed).toBe('hi Sam, dana  reyes here.');
  });
});

describe('composeBody properties', () => {
  const nameArb = fc
    .array(fc.stringMatching(/^[A-Z][a-z]{0,8}$/), { minLength: 1, maxLength: 3 })
    .map((words) => words.join(' '));
  const bodyArb = fc.oneof(
    fc.string({ maxLength: 200 }),
    fc
      .array(
        fc.constantFrom('stop', 'STOP', 'opt out', 'Reply', 'to', footer, 'Al', 'Dana', '.', ' ', '\n'),
        {
          maxLength: 20,
        },
      )
      .map((parts) => parts.join(' ')),
  );

  it('makes every automated text end with the opt-out instructions and name the agent', () => {
    fc.assert(
      fc.property(
        bodyArb,
        nameArb,
        fc.option(fc.constant('Harbor Realty'), { nil: undefined }),
        (body, name, brokerage) => {
          // act
          const composed = composeBody(body, { name, brokerage }, 'automated');

          // assess
          expect(endsWithFooter(composed)).toBe(true);
          expect(namesAgent(composed, name)).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('names the agent in every manual text and leaves a text that names them unprefixed', () => {
    fc.assert(
      fc.property(bodyArb, nameArb, (body, name) => {
        // act
        const composed = composeBody(body, { name }, 'manual');

        // assess
        expect(namesAgent(composed, name)).toBe(true);
        expect(composed === body.trim()).toBe(namesAgent(body.trim(), name));
      }),
      { numRuns: 500 },
    );
  });
});

describe('endsWithFooter', () => {
  it('cuts the trailing run as /[\\s.!]+$/u does, for every UTF-16 code unit after the footer', () => {
    const trimmedFooter = footer.replace(/[\s.!]+$/u, '');
    const mismatches: string[] = [];

    for (let code = 0; code <= 0xffff; code++) {
      const body = `${footer}${String.fromCharCode(code)}`;
      const expected = body.replace(/[\s.!]+$/u, '').endsWith(trimmedFooter);
      if (endsWithFooter(body) !== expected) mismatches.push(code.toString(16));
    }

    expect(mismatches).toEqual([]);
  });
});
