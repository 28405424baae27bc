import { execFile } from 'node:child_process';
import { parse } from 'csv-parse/sync';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createConsentLineClient, type ConsentLineClient, type MessageAccepted } from '../../lambdas/client';
import type { LocalRuntime } from '../../lambdas/local/runtime';
import type { MessageRecord } from '../../lambdas/ports';
import { startTestRuntime } from '../e2e/runtime-fixture';
import { runCli, type Run } from './cli-run';
import { consentedContact } from '../support/client-contacts';

// Tuesday 11:00 in New York: inside every quiet-hours window.
const DAY1 = new Date('2026-03-10T15:00:00.000Z');
const DAY2 = new Date('2026-03-11T15:00:00.000Z');
const DAY3 = new Date('2026-03-12T15:00:00.000Z');

let runtime: LocalRuntime;
let agentEnv: Record<string, string>;
let adminEnv: Record<string, string>;
let workDir: string;

beforeAll(async () => {
  runtime = await startTestRuntime({ clockStart: DAY1 });
  agentEnv = { CONSENTLINE_URL: runtime.baseUrl, CONSENTLINE_KEY: runtime.demo!.apiKey };
  adminEnv = { CONSENTLINE_URL: runtime.baseUrl, CONSENTLINE_KEY: runtime.adminKey };
  workDir = await mkdtemp(join(tmpdir(), 'consentline-cli-'));
}, 60_000);

afterAll(async () => {
  await runtime?.stop();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

/** Runs the CLI in-process with captured output, as the agent unless `env` says otherwise. */
const run = (argv: string[], env: Record<string, string> = agentEnv): Promise<Run> => runCli(argv, env);

/** The report read back by the CSV library itself, not by the code under test. */
function parseCsv(text: string): string[][] {
  return parse(text, { relax_column_count: true }) as string[][];
}

/** The export's JSON lines read back one record a line: messages, receipts, the summary last. */
function jsonLines(text: string): Record<string, unknown>[] {
  return text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('consentline (spawned)', () => {
  it('prints its help and exits 0 as a real process', async () => {
    // act
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'bin/consentline.ts', '--help'],
      {
        cwd: join(__dirname, '..', '..'),
        timeout: 60_000,
      },
    );

    // assess
    expect(stdout).toContain('Usage: consentline');
    for (const command of ['contacts', 'consent', 'enroll', 'messages', 'agents', 'audit', 'ledger']) {
      expect(stdout).toContain(command);
    }
  }, 60_000);

  // npm writes `> consentline@… cli` banner lines to stdout unless silent; the bin entry has none.
  it.each([
    ['npx consentline', ['exec', '--offline', '--', 'consentline', '--help']],
    ['npm run -s cli', ['run', '-s', 'cli', '--', '--help']],
  ])(
    '`%s` prints the CLI output and no npm banner line',
    async (_label, args) => {
      // act
      const { stdout } = await promisify(execFile)('npm', args, {
        cwd: join(__dirname, '..', '..'),
        timeout: 60_000,
      });

      // assess
      expect(stdout.split('\n')[0]).toMatch(/^Usage: consentline/);
      expect(stdout.split('\n').filter((line) => line.startsWith('> '))).toEqual([]);
    },
    60_000,
  );
});

describe('consentline usage errors', () => {
  it('exits 2 naming CONSENTLINE_KEY and --key when no key is given', async () => {
    // act
    const result = await run(['contacts', 'show', '+12125550100'], { CONSENTLINE_URL: runtime.baseUrl });

    // assess
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('error: missing API key: set CONSENTLINE_KEY or pass --key <key>\n');
  });

  it.each([
    [
      'naming the argument when a phone number is not one',
      ['consent', 'status', '555-12'],
      '"555-12" is not a valid phone number',
    ],
    [
      'when a required option is missing',
      ['audit', 'export', '--agent', 'agt_x'],
      "required option '--format <format>' not specified",
    ],
  ])('exits 2 %s', async (_label, argv, message) => {
    // act
    const result = await run(argv);

    // assess
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  });
});

describe('consentline contacts and consent', () => {
  it('adds a contact, logs consent, and shows the status as JSON', async () => {
    // prepare
    const phone = '+12125550190';

    // act
    const added = await run(['contacts', 'add', '(212) 555-0190', '--name', 'Ana Lopez', '--state', 'ny']);
    // prettier-ignore
    const logged = await run([
      'consent', 'log', phone, '--type', 'express_written', '--method', 'signed_form',
      '--at', '2026-03-01T10:00:00Z', '--captured-by', 'Dana', '--evidence', 'listing agreement §9',
    ]);
    const status = await run(['consent', 'status', phone, '--json']);

    // assess
    expect(added).toMatchObject({ code: 0, stderr: '' });
    expect(added.stdout).toMatch(/^created \+12125550190 {2}Ana Lopez/);
    expect(logged.code).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({
      badge: 'consented',
      permits: { automated: true },
    });
  });

  it('exits 1 and prints the reason when the consent method is refused', async () => {
    // prepare
    await run(['contacts', 'add', '+12125550191']);

    // act
    // prettier-ignore
    const result = await run([
      'consent', 'log', '+12125550191', '--type', 'express_written', '--method', 'public_record',
      '--at', '2026-03-01T10:00:00Z', '--captured-by', 'Dana', '--evidence', 'found on Zillow',
    ]);
    const status = await run(['consent', 'status', '+12125550191', '--json']);

    // assess
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'error: method: a number found online or in public records is not consent (not_consent, HTTP 422)\n',
    );
    expect(JSON.parse(status.stdout).badge).toBe('no_consent');
  });
});

describe('consentline enroll and messages preview', () => {
  it('shows the closing the cadence counts from and each skipped step with why', async () => {
    // prepare: closed three years before the enrollment (the clock is 2026-03-10)
    const phone = '+12125550193';
    await run([
      'contacts',
      'add',
      phone,
      '--name',
      'Rae Kim',
      '--tz',
      'America/New_York',
      '--closing-date',
      '2023-02-01',
    ]);
    // prettier-ignore
    await run([
      'consent', 'log', phone, '--type', 'express_written', '--method', 'signed_form',
      '--at', '2026-03-01T10:00:00Z', '--captured-by', 'Dana', '--evidence', 'follow-up form',
    ]);

    // act
    const enrolled = await run(['enroll', phone]);
    const preview = await run(['messages', 'preview', phone]);

    // assess
    expect(enrolled.code).toBe(0);
    expect(enrolled.stdout).toMatch(/step\(s\) scheduled, first due .*, \d+ skipped\n/);
    expect(enrolled.stdout).toContain(
      'closing-anchored steps count from the closing on 2023-02-01 (closingDate)',
    );
    expect(enrolled.stdout).toMatch(
      /^ {2}step 1 skipped \(was due 2023-02-08T17:00:00\.000Z\): its moment had passed/m,
    );
    expect(preview.code).toBe(0);
    expect(preview.stdout).toMatch(/upcoming step\(s\), \d+ skipped; predictions/);
    expect(preview.stdout).toMatch(
      /^step 1 {2}skipped {2}\(was due 2023-02-08T17:00:00\.000Z\): its moment had passed/m,
    );
    expect(preview.stdout).not.toContain('trusting me with your move');
  });
});

describe('consentline contacts import', () => {
  const ROWS = 5000;
  // Row numbers (from 1 after the header) of the rows built not to be imported, what the report
  // says of them, and why.
  const bad = new Map<number, [string, RegExp]>([
    [17, ['failed', /"12345" is not a valid phone number: a US number is a 3-digit area code/]],
    [1234, ['failed', /state: not a USPS state or territory code/]],
    [2500, ['refused', /^phone: toll-free numbers/]],
    [3000, ['refused', /^phone: area code 416 is outside the US/]],
    [3999, ['duplicate', /^same number as row 4000 \(line \d+\), which was taken because it comes later/]],
    [4711, ['failed', /has 2 field\(s\); the header has 5/]],
  ]);

  /** The CSV text, the phone of each imported row, and the file line each row starts on. */
  function contactsCsv(): { text: string; goodPhones: string[]; lineOf: Map<number, number> } {
    const lines = ['phone,name,state,zip,notes'];
    const goodPhones: string[] = [];
    const lineOf = new Map<number, number>();
    let line = 2;
    for (let row = 1; row <= ROWS; row++) {
      let phone = `+1646${2_000_000 + row}`;
      // Every 100th row has a quoted note with a comma, doubled quotes and a line break.
      const notes = row % 100 === 0 ? '"likes ""blue"", big yard\nsecond line"' : 'met at open house';
      // Row 3999 is row 4000's number written the national way.
      if (row === 3999) phone = `(646) ${String(2_004_000).slice(0, 3)}-${String(2_004_000).slice(3)}`;
      let text = `${phone},Contact ${row},NY,10001,${notes}`;
      if (row === 17) text = `12345,Contact ${row},NY,10001,x`;
      if (row === 1234) text = `${phone},Contact ${row},ZZ,10001,x`;
      if (row === 2500) text = `+18005550199,Contact ${row},NY,10001,x`;
      if (row === 3000) text = `+14165550199,Contact ${row},NY,10001,x`;
      if (row === 2600) text = `${phone},"Smith" Jr,NY,10001,x`;
      if (row === 2700) text = `${phone},O"Brien,NY,10001,x`;
      if (row === 4711) text = `${phone},Contact ${row}`;
      if (!bad.has(row)) goodPhones.push(phone);
      lines.push(text);
      lineOf.set(row, line);
      line += text.split('\n').length;
    }
    return { text: `${lines.join('\r\n')}\r\n`, goodPhones, lineOf };
  }

  it('stores every good row of a 5,000-row file and reports every row in order with what became of it', async () => {
    // prepare
    const { text, goodPhones, lineOf } = contactsCsv();
    const file = join(workDir, 'contacts.csv');
    const report = join(workDir, 'report.csv');
    await writeFile(file, text);
    const imported = ROWS - bad.size;

    // act
    const result = await run(['contacts', 'import', file, '--report', report]);

    // assess
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `imported ${imported} of ${ROWS} rows: 3 failed, 2 refused, 1 duplicate(s), 0 with consent, 0 with notes (report: ${report})\n`,
    );
    const reportText = await readFile(report, 'utf8');
    expect(reportText.endsWith('\n')).toBe(true);
    const [header, ...rows] = parseCsv(reportText);
    expect(header).toEqual(['row', 'line', 'phone', 'result', 'consent', 'reason']);
    expect(rows.map((row) => Number(row[0]))).toEqual(Array.from({ length: ROWS }, (_, i) => i + 1));
    for (const [row, line, , outcome, , reason] of rows) {
      expect(Number(line)).toBe(lineOf.get(Number(row)));
      const expected = bad.get(Number(row));
      if (expected === undefined) continue;
      expect([row, outcome]).toEqual([row, expected[0]]);
      expect(reason).toMatch(expected[1]);
    }
    const outcomes = new Set(rows.filter((row) => !bad.has(Number(row[0]))).map((row) => row[3]));
    expect(outcomes).toEqual(new Set(['created']));
    const agentId = runtime.demo!.agentId;
    const missing: string[] = [];
    for (let i = 0; i < goodPhones.length; i += 100) {
      const chunk = goodPhones.slice(i, i + 100);
      const found = await Promise.all(chunk.map((phone) => runtime.deps.stores.contacts.get(agentId, phone)));
      chunk.forEach((phone, j) => found[j] === undefined && missing.push(phone));
    }
    expect(missing).toEqual([]);
    const noted = await runtime.deps.stores.contacts.get(agentId, '+16462000100');
    expect(noted?.notes).toBe('likes "blue", big yard\nsecond line');
    // A quote inside a field is kept as written, as spreadsheets export names.
    expect((await runtime.deps.stores.contacts.get(agentId, '+16462002600'))?.name).toBe('"Smith" Jr');
    expect((await runtime.deps.stores.contacts.get(agentId, '+16462002700'))?.name).toBe('O"Brien');
  }, 180_000);

  it('maps headers with --map, keeps a contact whose consent evidence is bad, and reports a landline', async () => {
    // prepare
    const file = join(workDir, 'mapped.csv');
    const [kept, landline, consented] = ['+16463100001', '+16463100002', '+16463100003'];
    runtime.lookup.declare(landline, { lineType: 'landline' });
    await writeFile(
      file,
      [
        'First Name,Cell,How,When,Who,Proof',
        `Ana,${kept},e_sign,not a date,Dana Reyes,DocuSign 1`,
        `Bo,${landline},,,,`,
        `Cy,${consented},e_sign,2026-02-01T12:00:00Z,Dana Reyes,DocuSign 2`,
        `Cy again,${consented},,,,`,
        '',
      ].join('\n'),
    );

    // act
    const result = await run([
      'contacts',
      'import',
      file,
      '--map',
      'First Name=name,Cell=phone,How=consent_method,When=consent_at,Who=consent_captured_by,Proof=consent_evidence',
    ]);

    // assess
    expect(result.code).toBe(0);
    expect(result.stdout.endsWith('\r\n')).toBe(true);
    const [, ...rows] = parseCsv(result.stdout);
    expect(rows.map((row) => row.slice(0, 5))).toEqual([
      ['1', '2', kept, 'created', 'not imported'],
      ['2', '3', landline, 'created', ''],
      ['3', '4', consented, 'created', 'imported'],
      ['4', '5', consented, 'duplicate', ''],
    ]);
    expect(rows[0]![5]).toMatch(/^consent not imported: row\.consent\.at: .*the contact is kept/);
    expect(rows[1]![5]).toMatch(/^kept, but texts cannot reach it: .*landline/);
    expect(rows[3]![5]).toMatch(
      /^same number as row 3 \(line 4\), which was taken because it carries consent evidence/,
    );
    const agentId = runtime.demo!.agentId;
    expect(await runtime.deps.stores.contacts.get(agentId, kept)).toMatchObject({ name: 'Ana' });
    expect(await runtime.deps.stores.ledger.list(agentId, kept)).toEqual([]);
    expect((await runtime.deps.stores.contacts.get(agentId, consented))?.name).toBe('Cy');
  });

  it('exits 2 when --map names a header the file does not have', async () => {
    // prepare
    const file = join(workDir, 'unmapped.csv');
    await writeFile(file, 'phone,name\n+16463200001,Ana\n');

    // act
    const result = await run(['contacts', 'import', file, '--map', 'Cell=phone']);

    // assess
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--map names a header the file does not have (cell)');
  });

  it('exits 2 naming an unknown column before sending anything', async () => {
    // prepare
    const file = join(workDir, 'typo.csv');
    await writeFile(file, 'phone,nmae\n+16463000001,Ana\n');

    // act
    const result = await run(['contacts', 'import', file]);

    // assess
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('column 2 "nmae" is not a known column');
    expect(await runtime.deps.stores.contacts.get(runtime.demo!.agentId, '+16463000001')).toBeUndefined();
  });
});

describe('consentline audit export', () => {
  let agentId: string;
  let agent: ConsentLineClient;
  const phones = ['+13125550101', '+13125550102', '+13125550103', '+13125550104', '+13125550105'];
  const sentOn = new Map<string, MessageAccepted[]>();

  /** A second agent with five consented contacts and texts over three days. */
  beforeAll(async () => {
    const admin = createConsentLineClient({ baseUrl: runtime.baseUrl, apiKey: runtime.adminKey });
    const created = await admin.agents.create({
      name: 'Lee Park',
      brokerage: 'Lakeside Homes',
      senderNumber: '+13125550100',
      forwardTo: '+13125550199',
    });
    agentId = created.agentId;
    agent = createConsentLineClient({ baseUrl: runtime.baseUrl, apiKey: created.apiKey });
    for (const phone of phones) {
      await consentedContact(
        agent,
        phone,
        { name: 'Client', state: 'IL' },
        { method: 'text_reply', capturedBy: 'sms', evidence: 'YES' },
      );
    }
    const sendTo = async (day: string, recipients: string[]) => {
      const accepted = [];
      for (const to of recipients)
        accepted.push(await agent.messages.create({ to, body: `Update for ${day}` }));
      sentOn.set(day, accepted);
    };
    await sendTo('day1', phones.slice(0, 2));
    await runtime.advanceClock(DAY2);
    await sendTo('day2', phones);
    await runtime.advanceClock(DAY3);
    await sendTo('day3', phones.slice(3));
    await runtime.settle();
  }, 120_000);

  it('exports exactly the messages of the date range, with their receipts, over pages of 2', async () => {
    // prepare
    const day2 = sentOn.get('day2') as MessageAccepted[];

    // act
    const result = await run(
      [
        'audit',
        'export',
        '--agent',
        agentId,
        '--from',
        '2026-03-11',
        '--to',
        '2026-03-12',
        '--format',
        'jsonl',
        '--page-size',
        '2',
      ],
      adminEnv,
    );

    // assess
    expect(result.code).toBe(0);
    const records = jsonLines(result.stdout);
    const messages = records.filter((record) => record.record === 'message') as MessageRecord[];
    expect(messages.map((m) => m.messageId).sort()).toEqual(day2.map((m) => m.messageId).sort());
    for (const sent of day2) {
      const exported = messages.find((m) => m.messageId === sent.messageId) as MessageRecord;
      const stored = await agent.messages.get(sent.messageId);
      expect(exported.history[0]?.receipt).toEqual(sent.receipt);
      expect(exported.receipt).toEqual(stored.receipt);
      expect(exported.history).toEqual(stored.history);
    }
    expect(records.at(-1)).toMatchObject({ record: 'summary', messages: 5, pages: 3, complete: true });
    expect(result.stderr).toBe('exported 5 messages in 3 pages\n');
  });

  it("writes a CSV with one row per message and the phone's consent history and verification", async () => {
    // prepare
    const out = join(workDir, 'audit.csv');
    const phone = phones[3] as string;
    const expected = [...(sentOn.get('day2') ?? []), ...(sentOn.get('day3') ?? [])].filter(
      (m) => m.receipt.phone === phone,
    );

    // act
    const result = await run(
      [
        'audit',
        'export',
        '--agent',
        agentId,
        '--phone',
        phone,
        '--format',
        'csv',
        '--out',
        out,
        '--page-size',
        '1',
      ],
      adminEnv,
    );

    // assess
    expect(result.code).toBe(0);
    const [header, ...rows] = parseCsv(await readFile(out, 'utf8'));
    const column = (name: string) => (header as string[]).indexOf(name);
    const messageRows = rows.filter((row) => row[column('record')] === 'message');
    expect(messageRows.map((row) => row[column('id')]).sort()).toEqual(
      expected.map((m) => m.messageId).sort(),
    );
    for (const row of messageRows) {
      const stored = await agent.messages.get(row[column('id')] as string);
      const receipt = stored.receipt!;
      expect(row[column('created')]).toBe(stored.createdAt);
      expect(row[column('verdict')]).toBe(receipt.verdict);
      expect(row[column('reasons')]).toBe(receipt.reasons.join('; '));
      expect(row[column('consent_status')]).toBe(receipt.consent.status);
      expect(row[column('consent_relied_on')]).toBe(receipt.consent.reliedOn ?? '');
      expect(row[column('zones')]).toBe(receipt.recipient.zones.join('; '));
      expect(row[column('recipient_local_time')]).toContain(receipt.recipient.localTimes[0]!.local);
      expect(row[column('rules_version')]).toBe(receipt.rulesVersions.join('; '));
      expect(row[column('twilio_sid')]).toBe(stored.twilioSid ?? '');
      expect(row[column('sent')]).toBe(stored.history.find((change) => change.status === 'sent')?.at ?? '');
    }
    // Flat cells for people: no JSON anywhere.
    expect(rows.flat().filter((cell) => /^[{[]/.test(cell))).toEqual([]);
    const consentRows = rows.filter((row) => row[column('record')] === 'consent_event');
    expect(consentRows.map((row) => [row[column('agent_id')], row[column('kind')]])).toEqual([
      [agentId, 'express_written'],
    ]);
    const times = rows.map((row) => row[column('at')]).filter(Boolean);
    expect(times).toEqual([...times].sort());
    expect(rows.find((row) => row[column('record')] === 'chain_verification')?.[column('status')]).toBe('ok');
    expect(rows.at(-1)?.[column('record')]).toBe('summary');
  });

  it("includes the consent events and opt-outs of the agent's contacts without --phone, in time order", async () => {
    // act
    const result = await run(['audit', 'export', '--agent', agentId, '--format', 'csv'], adminEnv);

    // assess
    expect(result.code).toBe(0);
    const [header, ...rows] = parseCsv(result.stdout);
    const column = (name: string) => (header as string[]).indexOf(name);
    const kinds = (record: string) => rows.filter((row) => row[column('record')] === record);
    expect(
      kinds('consent_event')
        .map((row) => row[column('phone')])
        .sort(),
    ).toEqual([...phones].sort());
    expect(kinds('message')).toHaveLength([...sentOn.values()].flat().length);
    const times = rows.map((row) => row[column('at')]).filter(Boolean);
    expect(times).toEqual([...times].sort());
    expect(rows[0]?.[column('record')]).toBe('consent_event');
    expect(result.stderr).toContain(`${phones.length} consent events, 0 opt-out records`);
  });

  it('exports the whole brokerage with --all-agents: every agent, one time order, a summary', async () => {
    // prepare
    const admin = createConsentLineClient({ baseUrl: runtime.baseUrl, apiKey: runtime.adminKey });
    const everyAgent = (await admin.agents.list()).items.map((item) => item.agentId);

    // act
    const result = await run(
      ['audit', 'export', '--all-agents', '--from', '2026-03-01', '--to', '2026-03-13', '--format', 'jsonl'],
      adminEnv,
    );

    // assess
    expect(result.code).toBe(0);
    const records = jsonLines(result.stdout);
    const messages = records.filter((record) => record.record === 'message') as MessageRecord[];
    expect(everyAgent).toEqual(expect.arrayContaining([agentId, runtime.demo!.agentId]));
    expect(messages.filter((m) => m.agentId === agentId)).toHaveLength([...sentOn.values()].flat().length);
    const created = messages.map((m) => m.createdAt);
    expect(created).toEqual([...created].sort());
    expect(records.at(-1)).toMatchObject({ record: 'summary', allAgents: everyAgent.length, complete: true });
    // The demo agent holds the 5,000 imported contacts: their ledgers are read too.
  }, 180_000);

  it('exits 2 for --all-agents with --agent', async () => {
    // act
    const result = await run(
      ['audit', 'export', '--all-agents', '--agent', agentId, '--format', 'csv'],
      adminEnv,
    );

    // assess
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--all-agents exports every agent');
  });

  it('exits 1 with the API reason when an agent asks for another agent', async () => {
    // act
    const result = await run(['audit', 'export', '--agent', agentId, '--format', 'jsonl']);

    // assess
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('an agent can export only its own messages (forbidden, HTTP 403)');
  });
});
