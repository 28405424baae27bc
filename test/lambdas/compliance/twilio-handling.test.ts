import fc from 'fast-check';
import { classifyInbound } from '../../../lambdas/compliance/keywords';
import { readInbound, twilioKeyword } from '../../../lambdas/compliance/twilio-handling';
import { twilioKeywordRules } from '../../../lambdas/rules/twilio-keywords';

// Twilio's documented list, written out so the data is tested too (https://help.twilio.com/articles/223134027).
const TWILIO = {
  opt_out: ['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'REVOKE', 'OPTOUT'],
  opt_in: ['START', 'YES', 'UNSTOP'],
  help: ['HELP', 'INFO'],
} as const;
const ALL = Object.entries(TWILIO).flatMap(([kind, words]) => words.map((word) => [word, kind] as const));
const whitespace = fc
  .array(fc.constantFrom(' ', '\t', '\n', '\r', '\u00a0'), { maxLength: 3 })
  .map((chars) => chars.join(''));
const anyCase = (word: string) =>
  fc
    .array(fc.boolean(), { minLength: word.length, maxLength: word.length })
    .map((flags) => [...word].map((c, i) => (flags[i] ? c.toLowerCase() : c)).join(''));

describe('twilioKeyword', () => {
  it('holds exactly Twilio’s documented lists', () => {
    expect(twilioKeywordRules.optOut).toEqual(TWILIO.opt_out);
    expect(twilioKeywordRules.optIn).toEqual(TWILIO.opt_in);
    expect(twilioKeywordRules.help).toEqual(TWILIO.help);
  });

  it('matches a keyword in any case with any surrounding whitespace', () => {
    fc.assert(
      fc.property(
        fc
          .constantFrom(...ALL)
          .chain(([word, kind]) =>
            fc
              .tuple(whitespace, anyCase(word), whitespace)
              .map(([l, w, r]) => [`${l}${w}${r}`, kind] as const),
          ),
        ([body, kind]) => twilioKeyword(body) === kind,
      ),
    );
  });

  it.each([
    'STOP PLEASE',
    'Stop.',
    'OPT OUT',
    'STOP ALL',
    'REMOVE',
    'please cancel',
    'stop stop',
    'ARRET',
    'baja',
  ])('leaves %p to ConsentLine', (body) => {
    expect(twilioKeyword(body)).toBeUndefined();
  });
});

describe('readInbound', () => {
  it('never leaves an opt-out unacted, whoever read it as one', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.constantFrom(...ALL.map(([word]) => word), 'stop texting me', 'XYZZY')),
        fc.option(fc.constantFrom('STOP', 'START', 'HELP', 'stop'), { nil: undefined }),
        (body, optOutType) => {
          const reading = readInbound(body, optOutType);
          const own = classifyInbound(body).kind;
          const optOutSomewhere =
            own === 'opt_out' || own === 'revocation' || optOutType?.toUpperCase() === 'STOP';
          return !optOutSomewhere || reading.act === 'opt_out' || reading.act === 'revocation';
        },
      ),
    );
  });

  it('replies itself exactly when Twilio did not answer the same kind', () => {
    fc.assert(
      fc.property(fc.string(), (body) => {
        const reading = readInbound(body);
        if (reading.act === 'other') return reading.replyBy === 'none';
        const answered = reading.act === 'revocation' ? 'opt_out' : reading.act;
        return (reading.replyBy === 'twilio') === (reading.twilio?.kind === answered);
      }),
    );
  });

  it.each([
    ['STOP', undefined, 'opt_out', 'twilio'],
    [' help ', undefined, 'help', 'twilio'],
    ['Stop.', undefined, 'opt_out', 'consentline'],
    ['OPT OUT', undefined, 'opt_out', 'consentline'],
    ['please stop texting me', undefined, 'revocation', 'consentline'],
    ['No más', undefined, 'revocation', 'consentline'],
    ['XYZZY', 'STOP', 'opt_out', 'twilio'],
    ['stop texting me', 'HELP', 'revocation', 'consentline'],
    ['SUBSCRIBE', 'START', 'other', 'none'],
  ] as const)('reads %p (OptOutType %p) as %p answered by %p', (body, optOutType, act, replyBy) => {
    expect(readInbound(body, optOutType)).toMatchObject({ act, replyBy });
  });

  it('notes a mismatch only when OptOutType and ConsentLine disagree', () => {
    expect(readInbound('STOP', 'STOP').mismatch).toBeUndefined();
    expect(readInbound('XYZZY', 'STOP').mismatch).toMatch(/OptOutType STOP/);
  });
});
