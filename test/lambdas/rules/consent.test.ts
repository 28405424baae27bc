import { consentRulesSchema } from '../../../lambdas/rules/consent';
import { loadRules } from '../../../lambdas/rules/schema';

const valid = {
  version: 'consent/test.1',
  source: 'test',
  accepted: { signed_form: 'A signed form' },
  refused: { public_record: 'a number found online is not consent' },
  ebr: {
    ebr_transaction: { months: 18, from: 'closing date' },
    ebr_inquiry: { months: 3, from: 'inquiry date' },
  },
};

describe('consentRulesSchema', () => {
  it('loads rules whose accepted and refused methods are distinct', () => {
    // act
    const rules = loadRules('consent', consentRulesSchema, valid);

    // assess
    expect(rules.ebr.ebr_inquiry.months).toBe(3);
  });

  it('rejects a method that is both accepted and refused', () => {
    // prepare
    const data = { ...valid, refused: { ...valid.refused, signed_form: 'contradiction' } };

    // act
    const load = () => loadRules('consent', consentRulesSchema, data);

    // assess
    expect(load).toThrow(/both accepted and refused/);
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
