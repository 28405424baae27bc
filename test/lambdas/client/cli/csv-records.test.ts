import { MAX_RECORD_CHARS, readCsvRecords } from '../../../../lambdas/client/cli/csv-records';
import { parseHeaderMap, renameHeader } from '../../../../lambdas/client/cli/import-columns';
import { UsageError } from '../../../../lambdas/client/cli/io';

describe('readCsvRecords', () => {
  it('reads quoted commas, doubled quotes and line breaks, with the line each record starts on', () => {
    // prepare
    const text =
      '\uFEFFphone,notes\r\n+12125550101,"a, b"\r\n\r\n+12125550102,"say ""hi""\nsecond line"\r\n+12125550103,x\r\n';

    // act
    const records = readCsvRecords(text);

    // assess
    expect(records).toEqual([
      { line: 1, fields: ['phone', 'notes'] },
      { line: 2, fields: ['+12125550101', 'a, b'] },
      { line: 4, fields: ['+12125550102', 'say "hi"\nsecond line'] },
      { line: 6, fields: ['+12125550103', 'x'] },
    ]);
  });

  it('keeps a quote inside a field as written, and rows of any length for the caller to judge', () => {
    // act
    const records = readCsvRecords('name,x\nO"Brien,1\n"Smith" Jr,2\nshort\n');

    // assess
    expect(records.map((record) => record.fields)).toEqual([
      ['name', 'x'],
      ['O"Brien', '1'],
      ['"Smith" Jr', '2'],
      ['short'],
    ]);
  });

  it('reports a quote never closed at the line it opens, keeping every record before it', () => {
    // prepare
    const rows = Array.from({ length: 50 }, (_, i) => `+1212555${String(1000 + i)},ok`);
    const text = ['phone,name', '+12125550100,fine', '+12125550101,"never closed', ...rows].join('\n');

    // act
    const records = readCsvRecords(text);

    // assess
    expect(records.slice(0, 2).map((record) => record.fields[1])).toEqual(['name', 'fine']);
    expect(records.at(-1)).toMatchObject({
      line: 3,
      fields: [],
      error: expect.stringMatching(/^line 3: .*never closed/),
    });
  });

  it('stops a record past the size limit with the reason instead of reading forever', () => {
    // prepare
    const text = `phone,name\n+12125550100,"${'x'.repeat(MAX_RECORD_CHARS + 10)}\n`;

    // act
    const records = readCsvRecords(text);

    // assess
    expect(records.at(-1)?.error).toMatch(/longer than 65536 characters/);
  });
});

describe('--map', () => {
  it('renames the file headers it names, matching them as import columns are matched', () => {
    // act
    const header = renameHeader(
      ['First Name', 'CELL', 'state'],
      parseHeaderMap('first_name=name, Cell=phone'),
      'f.csv',
    );

    // assess
    expect(header).toEqual(['name', 'phone', 'state']);
  });

  it.each([
    ['a pair without =', 'First Name'],
    ['an empty side', '=name'],
    ['a header mapped twice', 'Cell=phone,cell=name'],
  ])('refuses %s as a usage error', (_label, map) => {
    // act + assess
    expect(() => parseHeaderMap(map)).toThrow(UsageError);
  });
});
