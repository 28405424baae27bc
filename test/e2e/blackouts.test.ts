import { runCli } from '../bin/cli-run';
import { useTestRuntime } from './runtime-fixture';

// Tuesday 2026-03-10, 10:00 in New Orleans and Dallas (CDT).
const ENROLLED = new Date('2026-03-10T15:00:00Z');
// Wednesday 00:00 to Thursday of the next week 18:00 in New Orleans.
const BLACKOUT_START = '2026-03-11T00:00:00-05:00';
const BLACKOUT_END = '2026-03-19T18:00:00-05:00';
const END_MS = Date.parse(BLACKOUT_END);

const louisiana = { phone: '+15045550171', state: 'LA', name: 'Ana Broussard' };
const texas = { phone: '+12145550172', state: 'TX', name: 'Sam Ortiz' };

type Listed = { messageId: string; kind: string; step?: number; dueAt?: string };
type StoredMessage = {
  status: string;
  twilioSid?: string;
  history: Array<{ status: string; at: string; receipt?: { blackouts?: unknown[]; releaseAt?: string } }>;
};

const e2e = useTestRuntime({ demoAgent: false, clockStart: ENROLLED });
const { call } = e2e;

const admin = (argv: string[]) =>
  runCli(['admin', 'blackouts', ...argv], {
    CONSENTLINE_URL: e2e.runtime.baseUrl,
    CONSENTLINE_KEY: e2e.runtime.adminKey,
  });

async function enrolled(apiKey: string, contact: typeof louisiana): Promise<Listed> {
  await call('PUT', `/v1/contacts/${contact.phone}`, apiKey, { name: contact.name, state: contact.state });
  await e2e.writtenConsent(apiKey, contact.phone, {
    at: '2026-03-01T16:00:00Z',
    evidence: 'buyer agreement, SMS clause',
  });
  expect((await call('POST', `/v1/contacts/${contact.phone}/enroll`, apiKey)).status).toBe(201);
  const listed = (await call('GET', `/v1/contacts/${contact.phone}/messages`, apiKey)).body
    .messages as Listed[];
  return listed
    .filter((message) => message.kind === 'drip' && message.dueAt)
    .sort((a, b) => a.dueAt!.localeCompare(b.dueAt!))[0]!;
}

describe('a state-of-emergency blackout declared with the CLI, walked with the test clock', () => {
  it('holds the Louisiana contact’s due drip step until the blackout ends, then sends it; Texas is unaffected', async () => {
    // prepare
    const agent = await e2e.newAgent({ senderNumber: '+15045550150', forwardTo: '+15045550199' });
    const laStep = await enrolled(agent.apiKey, louisiana);
    const txStep = await enrolled(agent.apiKey, texas);
    const refused = await admin(['add', '--states', 'LA,XX', '--end', BLACKOUT_END, '--reason', 'Hurricane']);
    const declared = await admin([
      'add',
      '--states',
      'LA',
      '--start',
      BLACKOUT_START,
      '--end',
      BLACKOUT_END,
      '--reason',
      'Hurricane Ida: state of emergency (R.S. 45:844.31)',
      '--json',
    ]);
    const blackout = JSON.parse(declared.stdout) as { blackoutId: string; end: string };
    const upcoming = await admin(['list']);
    const activeBefore = await admin(['list', '--active']);

    // act
    await e2e.runtime.advanceClock(new Date(END_MS + 2 * 86_400_000));

    // assess
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/body\.states\.1: "XX" is not a USPS state or territory code/);
    expect(declared.code).toBe(0);
    expect(upcoming.stdout).toContain(`${blackout.blackoutId}  upcoming  LA`);
    expect(activeBefore.stdout).toBe('no blackouts\n');
    // both first steps fall inside the blackout
    for (const step of [laStep, txStep]) {
      expect(Date.parse(step.dueAt!)).toBeGreaterThan(Date.parse(BLACKOUT_START));
      expect(Date.parse(step.dueAt!)).toBeLessThan(END_MS);
    }
    const la = (await call('GET', `/v1/messages/${laStep.messageId}`, agent.apiKey)).body as StoredMessage;
    const held = la.history.find((change) => change.status === 'held');
    expect(held?.receipt?.blackouts).toEqual([
      {
        id: blackout.blackoutId,
        states: ['LA'],
        reason: 'Hurricane Ida: state of emergency (R.S. 45:844.31)',
        end: blackout.end,
      },
    ]);
    expect(held?.receipt?.releaseAt).toBe(new Date(END_MS).toISOString());
    const laSent = e2e.runtime.twilio.outbox().find((entry) => entry.sid === la.twilioSid);
    expect(laSent).toBeDefined();
    expect(Date.parse(laSent!.at)).toBeGreaterThanOrEqual(END_MS);
    expect(Date.parse(laSent!.at)).toBeLessThan(END_MS + 60 * 60_000);
    // nothing reached the Louisiana phone during the blackout
    const duringBlackout = e2e.runtime.twilio
      .outbox()
      .filter(
        (entry) =>
          entry.to === louisiana.phone &&
          Date.parse(entry.at) >= Date.parse(BLACKOUT_START) &&
          Date.parse(entry.at) < END_MS,
      );
    expect(duringBlackout).toEqual([]);
    const tx = (await call('GET', `/v1/messages/${txStep.messageId}`, agent.apiKey)).body as StoredMessage;
    expect(tx.history.map((change) => change.status)).not.toContain('held');
    const txSent = e2e.runtime.twilio.outbox().find((entry) => entry.sid === tx.twilioSid);
    expect(Date.parse(txSent!.at)).toBeLessThan(END_MS);
  }, 300_000);

  it('ends a blackout early with the CLI; the end is recorded and the declaration kept', async () => {
    // prepare
    const now = (await call('GET', '/v1/time')).body.now as string;
    const end = new Date(Date.parse(now) + 3 * 86_400_000).toISOString();
    const added = await admin([
      'add',
      '--states',
      'MS,AL',
      '--end',
      end,
      '--reason',
      'Tornado outbreak',
      '--json',
    ]);
    const { blackoutId } = JSON.parse(added.stdout) as { blackoutId: string };

    // act
    const ended = await admin([
      'end',
      blackoutId,
      '--reason',
      'Governor lifted the declaration',
      '--by',
      'Ops',
    ]);
    const again = await admin(['end', blackoutId, '--reason', 'twice']);
    const listed = JSON.parse((await admin(['list', '--json'])).stdout) as {
      blackouts: Array<{ blackoutId: string; end: string; status: string; ended?: { reason: string } }>;
    };

    // assess
    expect(added.code).toBe(0);
    expect(ended.code).toBe(0);
    expect(ended.stdout).toMatch(/ended .* by Ops: Governor lifted the declaration/);
    expect(ended.stdout).toContain('0 held text(s) decided again now');
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already_ended, HTTP 409');
    const record = listed.blackouts.find((item) => item.blackoutId === blackoutId);
    expect(record).toMatchObject({
      end,
      status: 'over',
      ended: { reason: 'Governor lifted the declaration' },
    });
  });
});
