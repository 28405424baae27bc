import fc from 'fast-check';
import { CsvReader, readCsv, type CsvRecord } from '../../../../lambdas/client/cli/csv-parse';

/** Feeds `text` to a reader in the given chunk sizes (cycled) and collects every record. */
function readInChunks(text: string, sizes: number[] = [text.length || 1]): CsvRecord[] {
  const reader = new CsvReader();
  const records: CsvRecord[] = [];
  let at = 0;
  for (let i = 0; at < text.length; i++) {
    const size = Math.max(1, sizes[i % sizes.length] ?? 1);
    records.push(...reader.push(text.slice(at, at + size)));
    at += size;
  }
  records.push(...reader.end());
  return records;
}

/** RFC 4180 writing as a spreadsheet would: quote when needed, double the quotes. */
const quote = (field: string) => (/[",\r\n]/.test(field) ? `"${field.replaceAll('"', '""')}"` : field);

describe('CsvReader', () => {
  it('reads quoted fields holding commas, doubled quotes and line breaks', () => {
    // prepare
    const text =
      'phone,notes\r\n+12125550100,"likes ""blue"", big yard"\r\n+12125550101,"line one\nline two"\n';

    // act
    const records = readInChunks(text);

    // assess
    expect(records).toEqual([
      { line: 1, fields: ['phone', 'notes'] },
      { line: 2, fields: ['+12125550100', 'likes "blue", big yard'] },
      { line: 3, fields: ['+12125550101', 'line one\nline two'] },
    ]);
  });

  it('reports a quote inside an unquoted field and resumes at the next line', () => {
    // prepare
    const text = 'a,b\nx,he said "hi"\ny,z\n';

    // act
    const records = readInChunks(text);

    // assess
    expect(records[1]).toEqual({
      line: 2,
      fields: [],
      error: expect.stringMatching(/^line 2: field 2 has a quote/),
    });
    expect(records[2]).toEqual({ line: 3, fields: ['y', 'z'] });
  });

  it('reports text after a closing quote', () => {
    // act
    const records = readInChunks('"abc"def,1\nok,2');

    // assess
    expect(records).toEqual([
      { line: 1, fields: [], error: 'line 1: field 1 has text after its closing quote' },
      { line: 2, fields: ['ok', '2'] },
    ]);
  });

  it('reports a quote that is never closed with the line it opened on', () => {
    // act
    const records = readInChunks('a,b\n1,"open\n2,3\n');

    // assess
    expect(records).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: [], error: 'line 2: a quoted field opened on line 2 is never closed' },
    ]);
  });

  it('drops a byte order mark and skips blank lines', () => {
    // act
    const records = readInChunks('\uFEFFphone\r\n\r\n+12125550100\r\n\r\n');

    // assess
    expect(records).toEqual([
      { line: 1, fields: ['phone'] },
      { line: 3, fields: ['+12125550100'] },
    ]);
  });

  it('reads back any table written as RFC 4180, whatever the chunk boundaries', () => {
    const cell = fc.string({ unit: fc.constantFrom('a', 'b', ' ', ',', '"', '\n', '\r\n', 'é', '1') });
    const table = fc
      .integer({ min: 1, max: 4 })
      .chain((width) =>
        fc.array(fc.array(cell, { minLength: width, maxLength: width }), { minLength: 1, maxLength: 6 }),
      );
    fc.assert(
      fc.property(
        table,
        fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 5 }),
        fc.constantFrom('\n', '\r\n'),
        (rows, sizes, eol) => {
          // A row whose only cell is empty is a blank line, which is not a record.
          const written = rows.filter((row) => row.length > 1 || row[0] !== '');
          const text = written.map((row) => row.map(quote).join(',')).join(eol) + eol;

          const records = readInChunks(text, sizes);

          expect(records.map((record) => record.fields)).toEqual(written);
          expect(records.every((record) => record.error === undefined)).toBe(true);
        },
      ),
    );
  });
});

describe('readCsv', () => {
  it('decodes UTF-8 split across buffer chunks', async () => {
    // prepare
    const bytes = Buffer.from('name\nJosé\n', 'utf8');
    const split = bytes.indexOf(0xc3) + 1; // inside the two-byte é
    async function* chunks() {
      yield bytes.subarray(0, split);
      yield bytes.subarray(split);
    }

    // act
    const records: CsvRecord[] = [];
    for await (const record of readCsv(chunks())) records.push(record);

    // assess
    expect(records.map((record) => record.fields)).toEqual([['name'], ['José']]);
  });
});
