import { parse } from 'csv-parse/sync';
import { csvField, csvLine } from '../../../../lambdas/client/cli/csv-write';

describe('csvLine', () => {
  it('writes fields a CSV reader reads back unchanged', () => {
    // prepare
    const values = ['plain', 'a, b', 'say "hi"', 'two\r\nlines', ' padded ', '+12125550123', ''];

    // act
    const line = csvLine(values);
    const [record] = parse(line) as string[][];

    // assess
    expect(line.endsWith('\r\n')).toBe(true);
    expect(record).toEqual(values);
  });
});

describe('csvField', () => {
  it('defuses text a spreadsheet would run as a formula, but leaves phone numbers alone', () => {
    // act
    const cells = ['=HYPERLINK("http://x")', '@SUM(A1)', '+cmd', '-2+3+cmd', '+12125550123', '-1.5'].map(
      csvField,
    );

    // assess
    expect(cells).toEqual([
      '"\'=HYPERLINK(""http://x"")"',
      "'@SUM(A1)",
      "'+cmd",
      "'-2+3+cmd",
      '+12125550123',
      '-1.5',
    ]);
  });

  it.each(['＝HYPERLINK("http://x")', '＋cmd', '－2＋3', '＠SUM(A1)'])(
    'defuses the full-width formula start of %s',
    (cell) => {
      // act
      const field = csvField(cell);

      // assess
      expect(field.replace(/^"/, '').startsWith("'")).toBe(true);
    },
  );
});
