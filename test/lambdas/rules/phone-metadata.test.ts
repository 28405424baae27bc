import fc from 'fast-check';
import { parsePhoneNumberFromString as parseWithNanp, type MetadataJson } from 'libphonenumber-js/core';
import { parsePhoneNumberFromString as parseWithMin } from 'libphonenumber-js/min';
import nanpMetadata from '../../../lambdas/rules/data/phone-metadata.json';
import { nanpMetadata as regenerate } from '../../../lambdas/rules/generate/phone-metadata';

const nanp = nanpMetadata as unknown as MetadataJson;

describe('phone-metadata.json', () => {
  it('is what the generator makes from the installed libphonenumber-js', () => {
    expect(nanpMetadata).toEqual(JSON.parse(JSON.stringify(regenerate())));
  });

  // Intake accepts a number only when it is a valid +1 number: that verdict must not change.
  const accepted = (parsed: ReturnType<typeof parseWithMin>) =>
    parsed?.isValid() && parsed.countryCallingCode === '1' ? parsed.number : undefined;

  it('accepts and normalises +1 numbers in any written form exactly as the full metadata does', () => {
    const digits = (n: number) =>
      fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((d) => d.join(''));
    const styles = fc.constantFrom(
      (a: string, e: string, l: string) => `(${a}) ${e}-${l}`,
      (a: string, e: string, l: string) => `${a}-${e}-${l}`,
      (a: string, e: string, l: string) => `+1 ${a} ${e} ${l}`,
      (a: string, e: string, l: string) => `1${a}${e}${l}`,
      (a: string, e: string, l: string) => `${a}.${e}.${l}`,
    );
    fc.assert(
      fc.property(digits(3), digits(3), digits(4), styles, (area, exchange, line, style) => {
        const written = style(area, exchange, line);

        const ours = parseWithNanp(written, 'US', nanp);
        const full = parseWithMin(written, 'US');

        expect(accepted(ours)).toBe(accepted(full));
      }),
      { numRuns: 1000 },
    );
  });
});
