import { consentRulesSchema, consentTimeline } from '../../../lambdas/rules/consent';
import { loadRules, loadTimeline } from '../../../lambdas/rules/schema';

const valid = {
  version: 'consent/test.1',
  source: 'test',
  written: { signed_form: 'A signed form' },
  oral: { verbal_call: 'A call' },
  refused: { public_record: 'a number found online is not consent' },
  ebr: {
    ebr_transaction: { months: 18, from: 'closing date' },
    ebr_inquiry: { months: 3, from: 'inquiry date' },
  },
  consentRequest: { perDays: 30 },
  revokeAll: false,
};

describe('consentRulesSchema', () => {
  it('loads rules whose written, oral and refused methods are distinct', () => {
    // act
    const rules = loadRules('consent', consentRulesSchema, valid);

    // assess
    expect(rules.ebr.ebr_inquiry.months).toBe(3);
  });

  it('rejects a method that is both written and refused', () => {
    // prepare
    const data = { ...valid, refused: { ...valid.refused, signed_form: 'contradiction' } };

    // act
    const load = () => loadRules('consent', consentRulesSchema, data);

    // assess
    expect(load).toThrow(/exactly one of written, oral and refused/);
  });

  it('rejects an EBR window that is not a whole number of months', () => {
    // prepare
    const data = { ...valid, ebr: { ...valid.ebr, ebr_inquiry: { months: 2.5, from: 'inquiry date' } } };

    // act
    const load = () => loadRules('consent', consentRulesSchema, data);

    // assess
    expect(load).toThrow(/rules\/consent is invalid/);
  });
});

describe('consentTimeline', () => {
  it('puts FCC revoke-all in force from 2027-01-31 midnight Eastern, with its own version', () => {
    // act
    const before = consentTimeline.at(new Date('2027-01-31T04:59:59.999Z'));
    const after = consentTimeline.at(new Date('2027-01-31T05:00:00Z'));

    // assess
    expect(before.revokeAll).toBe(false);
    expect(after.revokeAll).toBe(true);
    expect(after.version).not.toBe(before.version);
    expect(after.written).toEqual(before.written);
  });

  it('refuses an amendment that breaks the rule set', () => {
    // prepare
    const data = {
      ...valid,
      amendments: [
        { version: 'v2', source: 's', effectiveFrom: '2030-01-01T00:00:00Z', refused: { verbal_call: 'x' } },
      ],
    };

    // act
    const load = () => loadTimeline('consent', consentRulesSchema, data);

    // assess
    expect(load).toThrow(/consent v2 is invalid/);
  });
});
