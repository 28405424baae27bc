import { createConsentLineClient, type ConsentLineClient } from '../../lambdas/client';
import type { LocalRuntime } from '../../lambdas/local/runtime';
import { startTestRuntime } from '../e2e/runtime-fixture';
import { runCli } from './cli-run';
import { consentedContact } from '../support/client-contacts';

// Tuesday 11:00 in New York.
const DAY1 = new Date('2026-03-10T15:00:00.000Z');

let runtime: LocalRuntime;
let env: Record<string, string>;
let agent: ConsentLineClient;

beforeAll(async () => {
  runtime = await startTestRuntime({ clockStart: DAY1 });
  env = { CONSENTLINE_URL: runtime.baseUrl, CONSENTLINE_KEY: runtime.demo!.apiKey };
  agent = createConsentLineClient({ baseUrl: runtime.baseUrl, apiKey: runtime.demo!.apiKey });
}, 60_000);

afterAll(async () => {
  await runtime?.stop();
});

const run = (argv: string[], extra: Record<string, string> = {}, opts: { tty?: boolean } = {}) =>
  runCli(argv, { ...env, ...extra }, opts);

describe('consentline contacts list / search', () => {
  const phones = ['+17185550101', '+17185550102', '+17185550103'];

  beforeAll(async () => {
    await agent.contacts.put(phones[0]!, { name: 'Maria Gonzalez', state: 'NY' });
    await consentedContact(agent, phones[1]!, { name: 'Mark Chen', state: 'NY' });
    await agent.contacts.put(phones[2]!, { name: 'Ruth Baker', state: 'NY' });
  });

  it('lists contacts with their badges, a page at a time, and prints how to get the next page', async () => {
    // act
    const first = await run(['contacts', 'list', '--limit', '2']);

    // assess
    expect(first.code).toBe(0);
    const lines = first.stdout.trimEnd().split('\n');
    const cursorLine = lines.at(-1) as string;
    expect(cursorLine).toMatch(/^next page: --cursor \S+$/);
    const next = await run(['contacts', 'list', '--limit', '100', '--cursor', cursorLine.split(' ').at(-1)!]);
    expect(next.code).toBe(0);
    const all = [...lines.slice(0, -1), ...next.stdout.trimEnd().split('\n')].join('\n');
    for (const phone of phones) expect(all.split(phone)).toHaveLength(2);
  });

  it('filters the list by badge', async () => {
    // act
    const result = await run(['contacts', 'list', '--badge', 'consented', '--json']);

    // assess
    expect(result.code).toBe(0);
    const page = JSON.parse(result.stdout);
    expect(page.items.map((item: { contact: { phone: string } }) => item.contact.phone)).toEqual([phones[1]]);
  });

  it('searches by name, any case', async () => {
    // act
    const result = await run(['contacts', 'search', 'MAR']);

    // assess
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Maria Gonzalez');
    expect(result.stdout).toContain('Mark Chen');
    expect(result.stdout).not.toContain('Ruth Baker');
    expect(result.stdout).toMatch(/\+17185550102 {2}consented +Mark Chen/);
  });

  it('exits 2 for a badge that does not exist', async () => {
    // act
    const result = await run(['contacts', 'list', '--badge', 'maybe']);

    // assess
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("option '--badge <badge>' argument 'maybe' is invalid");
  });
});

describe('consentline agents suspend', () => {
  it('stores the reason, shows it, and the agent’s writes then exit 1 with it', async () => {
    // prepare
    const admin = { CONSENTLINE_KEY: runtime.adminKey };
    const created = await createConsentLineClient({
      baseUrl: runtime.baseUrl,
      apiKey: runtime.adminKey,
    }).agents.create({
      name: 'Lee Park',
      brokerage: 'Lakeside Homes',
      senderNumber: '+13125550160',
      forwardTo: '+13125550169',
    });

    // act
    const missing = await run(['agents', 'suspend', created.agentId], admin);
    const suspended = await run(
      ['agents', 'suspend', created.agentId, '--reason', 'complaint under review'],
      admin,
    );
    const write = await run(['contacts', 'add', '+13125550161', '--name', 'Ana'], {
      CONSENTLINE_KEY: created.apiKey,
    });

    // assess
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("required option '--reason <text>' not specified");
    expect(suspended.code).toBe(0);
    expect(suspended.stdout).toMatch(/^agent agt_\S+ is suspended since \S+: complaint under review\n$/);
    expect(write.code).toBe(1);
    expect(write.stderr).toContain('complaint under review');
    expect(write.stderr).toContain('agent_suspended, HTTP 403');
  });
});

describe('consentline messages send: exit codes, local times, colours', () => {
  const consented = async (phone: string, fields: { name: string; state: string }) => {
    await consentedContact(agent, phone, fields);
  };

  it('exits 0 for a text queued to send', async () => {
    // prepare
    await consented('+12125550131', { name: 'Ana Lopez', state: 'NY' });

    // act
    const result = await run(['messages', 'send', '+12125550131', '--body', 'Open house Saturday at 2.']);

    // assess
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^msg_\w+: send \(queued to send\)\n$/);
  });

  it('exits 3 for a held text and prints the release time in the contact’s zone, or UTC on request', async () => {
    // prepare: 05:00 in Honolulu, before the 08:00 window opens
    await consented('+18085550132', { name: 'Kai Akana', state: 'HI' });

    // act
    const local = await run(['messages', 'send', '+18085550132', '--body', 'Aloha, new listing.']);
    const utc = await run(['--utc', 'messages', 'send', '+18085550132', '--body', 'Aloha again.']);

    // assess
    expect(local.code).toBe(3);
    expect(local.stdout).toMatch(/: hold \(held\) until 2026-03-10 08:00 HST \(Pacific\/Honolulu\)\n/);
    expect(utc.code).toBe(3);
    expect(utc.stdout).toMatch(/ until 2026-03-10 18:00 UTC\n/);
  });

  it('exits 4 for a blocked text and prints the reasons', async () => {
    // prepare: no consent on record
    await agent.contacts.put('+12125550133', { name: 'Lee Park', state: 'NY' });

    // act
    const result = await run(['messages', 'send', '+12125550133', '--body', 'Hi Lee']);
    const json = await run(['messages', 'send', '+12125550133', '--body', 'Hi Lee', '--json']);

    // assess
    expect(result.code).toBe(4);
    expect(result.stdout).toMatch(/: block \(blocked\)\n {2}- .*consent/);
    expect(json.code).toBe(4);
    expect(JSON.parse(json.stdout).verdict).toBe('block');
  });

  it('colours the verdict on a terminal only, and never with NO_COLOR', async () => {
    // act
    const tty = await run(['messages', 'send', '+12125550133', '--body', 'Hi'], {}, { tty: true });
    const noColor = await run(
      ['messages', 'send', '+12125550133', '--body', 'Hi'],
      { NO_COLOR: '1' },
      { tty: true },
    );
    const pipe = await run(['messages', 'send', '+12125550133', '--body', 'Hi']);

    // assess
    expect(tty.stdout).toContain('\u001b[31mblock\u001b[0m');
    expect(noColor.stdout).not.toContain('\u001b[');
    expect(pipe.stdout).not.toContain('\u001b[');
  });

  it('documents the exit codes in the help', async () => {
    // act
    const help = await run(['--help']);

    // assess
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('3  the text is held');
    expect(help.stdout).toContain('4  the text is blocked');
  });
});

describe('consentline --at now', () => {
  it('means the server’s clock (a test clock here), not this machine’s', async () => {
    // prepare
    await agent.contacts.put('+12125550141', { name: 'Ana' });

    // act
    const result = await run([
      'consent',
      'log',
      '+12125550141',
      '--type',
      'ebr_inquiry',
      '--at',
      'now',
      '--json',
    ]);

    // assess
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).event.at).toBe(runtime.clock.now().toISOString());
    expect(runtime.clock.now().toISOString()).not.toBe(new Date().toISOString());
  });
});

describe('consentline messages edit', () => {
  it('prints the text as it will be sent and its true segment count', async () => {
    // prepare
    const phone = '+12125550151';
    await consentedContact(agent, phone, { name: 'Maya Stone', state: 'NY' });
    const enrolled = await agent.enroll(phone);
    const id = enrolled.steps[1]!.messageId;

    // act
    const result = await run([
      'messages',
      'edit',
      id,
      '--body',
      `Hi {firstName}, ${'market update '.repeat(9)}`,
    ]);
    const unknown = await run(['messages', 'edit', id, '--body', 'Hi {nickname}']);

    // assess
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^edited msg_\w+: as it will be sent, \d+ characters, 2 segment\(s\) \(GSM-7\)\n/,
    );
    expect(result.stdout).toContain('| Dana Reyes');
    expect(result.stdout).toContain('Hi Maya, market update');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('{nickname}');
  });
});

describe('consentline contacts erase', () => {
  const phone = '+17185550177';

  beforeAll(async () => {
    await agent.contacts.put(phone, {
      name: 'Iris Novak',
      state: 'NY',
      address: '4 Oak Ln',
      notes: 'likes lofts',
    });
  });

  it('erases name, address and notes, says what stays, and a later show marks the contact erased', async () => {
    // act
    const erased = await run(['contacts', 'erase', phone, '--reason', 'asked by phone on 2026-03-09']);
    const shown = await run(['contacts', 'show', phone]);

    // assess
    expect(erased.code).toBe(0);
    expect(erased.stdout).toContain(`erased ${phone} at ${DAY1.toISOString()} (name, address, notes)`);
    expect(erased.stdout).toContain('kept: consent ledger, opt-outs, message log');
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain(`erased     ${DAY1.toISOString()}`);
    expect(shown.stdout).not.toContain('Iris Novak');
    expect(shown.stdout).not.toContain('4 Oak Ln');
  });

  it('exits 1 naming the first erasure when asked again', async () => {
    // act
    const again = await run(['contacts', 'erase', phone, '--reason', 'asked again']);

    // assess
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('was erased at');
  });

  it('exits 2 without --reason', async () => {
    // act
    const result = await run(['contacts', 'erase', '+17185550178']);

    // assess
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("required option '--reason <text>' not specified");
  });
});
