/**
 * Generates `lambdas/rules/data/phone-metadata.json`: libphonenumber's "min" metadata cut down to
 * the countries of calling code +1 (the NANP), the only numbers ConsentLine texts. Parsing with it
 * (`libphonenumber-js/core`) behaves as the full "min" set does for these numbers, and keeps every
 * Lambda bundle ~115 KB lighter.
 *
 * Run: `npx tsx lambdas/rules/generate/phone-metadata.ts` after upgrading libphonenumber-js.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import metadata from 'libphonenumber-js/metadata.min.json';

export function nanpMetadata() {
  const nanp = metadata.country_calling_codes['1'] as string[];
  const countries = metadata.countries as Record<string, unknown>;
  return {
    version: metadata.version,
    country_calling_codes: { '1': nanp },
    countries: Object.fromEntries(nanp.map((country) => [country, countries[country]])),
    nonGeographic: {},
  };
}

if (require.main === module) {
  const out = join(__dirname, '..', 'data', 'phone-metadata.json');
  writeFileSync(out, `${JSON.stringify(nanpMetadata())}\n`);
  console.log(`wrote ${out}`);
}
