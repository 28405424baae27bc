import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';
import { main } from '../../bin/consentline';
import { createConsentLineClient, type ConsentLineClient, type MessageAccepted } from '../../lambdas/client';
import { CsvReader } from '../../lambdas/client/cli/csv-parse';
import type { LocalRuntime } from '../../lambdas/local/runtime';
import type { MessageRecord } from '../../lambdas/ports';
import { startTestRuntime } from '../e2e/runtime-fixture';

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

type Run = { code: number; stdout: string; stderr: string };

/** Runs the CLI in-process with captured output. */
async function run(argv: string[], env: Record<string, string> = agentEnv): Promise<Run> {
  const [stdout, stderr] = [capture(), capture()];
  const code = await main(argv, { stdout: stdout.stream, stderr: stderr.stream, env });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

function capture(): { stream: Writable; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return { stream, text: () => text };
}

function parseCsv(text: string): string[][] {
  const reader = new CsvReader();
  return [...reader.push(text), ...reader.end()].map((record) => record.fields);
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

  it('exits 2 naming the argument when a phone number is not one', async () => {
    // act
    const result = await run(['consent', 'status', '555-12']);

    // assess
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('"555-12" is not a valid phone number');
  });

  it('exits 2 when a required option is missing', async () => {
    // act
    const result = await run(['audit', 'export', '--agent', 'agt_x']);

    // assess
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("required option '--format <format>' not specified");
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

describe('consentline contacts import', () => {
  const ROWS = 5000;
  // Row numbers (from 1 after the header) of the rows built to fail, and why.
  const bad = new Map<number, RegExp>([
    [17, /not a valid phone number/],
    [1234, /state: not a USPS state or territory code/],
    [2500, /field 2 has text after its closing quote/],
    [3999, /field 2 has a quote inside unquoted text/],
    [4711, /has 2 field\(s\); the header has 5/],
  ]);

  /** The CSV text, the phone of each good row, and the file line each row starts on. */
  function contactsCsv(): { text: string; goodPhones: string[]; lineOf: Map<number, number> } {
    const lines = ['phone,name,state,zip,notes'];
    const goodPhones: string[] = [];
    const lineOf = new Map<number, number>();
    let line = 2;
    for (let row = 1; row <= ROWS; row++) {
      const phone = `+1646${2_000_000 + row}`;
      // Every 100th row has a quoted note with a comma, doubled quotes and a line break.
      const notes = row % 100 === 0 ? '"likes ""blue"", big yard\nsecond line"' : 'met at open house';
      let text = `${phone},Contact ${row},NY,10001,${notes}`;
      if (row === 17) text = `12345,Contact ${row},NY,10001,x`;
      if (row === 1234) text = `${phone},Contact ${row},ZZ,10001,x`;
      if (row === 2500) text = `${phone},"Smith" Jr,NY,10001,x`;
      if (row === 3999) text = `${phone},O"Brien,NY,10001,x`;
      if (row === 4711) text = `${phone},Contact ${row}`;
      if (!bad.has(row)) goodPhones.push(phone);
      lines.push(text);
      lineOf.set(row, line);
      line += text.split('\n').length;
    }
    return { text: `${lines.join('\r\n')}\r\n`, goodPhones, lineOf };
  }

  it('stores every good row of a 5,000-row file and reports each bad row with its number and reason', async () => {
    // prepare
    const { text, goodPhones, lineOf } = contactsCsv();
    const file = join(workDir, 'contacts.csv');
    const report = join(workDir, 'report.csv');
    await writeFile(file, text);

    // act
    const result = await run(['contacts', 'import', file, '--report', report]);

    // assess
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `imported ${ROWS - bad.size} of ${ROWS} rows: ${bad.size} failed, 0 with consent, 0 with notes (report: ${report})\n`,
    );
    const [header, ...rows] = parseCsv(await readFile(report, 'utf8'));
    expect(header).toEqual(['row', 'line', 'phone', 'result', 'reason']);
    expect(rows.map((row) => Number(row[0]))).toEqual([...bad.keys()]);
    for (const [row, line, , result, reason] of rows) {
      expect(result).toBe('failed');
      expect(Number(line)).toBe(lineOf.get(Number(row)));
      expect(reason).toMatch(bad.get(Number(row)) as RegExp);
    }
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
  }, 180_000);

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
      await agent.contacts.put(phone, { name: 'Client', state: 'IL' });
      await agent.consent.append(phone, {
        type: 'express_written',
        method: 'text_reply',
        at: '2026-03-01T10:00:00Z',
        capturedBy: 'sms',
        evidence: 'YES',
      });
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
    const records = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
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
    const records = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    const messages = records.filter((record) => record.record === 'message') as MessageRecord[];
    expect(everyAgent).toEqual(expect.arrayContaining([agentId, runtime.demo!.agentId]));
    expect(messages.filter((m) => m.agentId === agentId)).toHaveLength([...sentOn.values()].flat().length);
    const created = messages.map((m) => m.createdAt);
    expect(created).toEqual([...created].sort());
    expect(records.at(-1)).toMatchObject({ record: 'summary', allAgents: everyAgent.length, complete: true });
  });

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
