import {
  parseLineType,
  parseReassigned,
  twilioNumberLookup,
} from '../../../../lambdas/adapters/twilio/number-lookup';
import { createLookupStandIn } from '../../../../lambdas/local/lookup-standin';

const accountSid = `AC${'1'.repeat(32)}`;
const authToken = 'lookup-token';
const clock = { now: () => new Date('2026-07-01T15:00:00Z') };

function lookupWith(options: { token?: string } = {}) {
  const standIn = createLookupStandIn({ clock, accountSid, authToken });
  const lookup = twilioNumberLookup({
    accountSid,
    authToken: options.token ?? authToken,
    fetch: standIn.fetch,
    timeoutMs: 100,
  });
  return { standIn, lookup };
}

const body = (reassigned: unknown) =>
  JSON.stringify({ phone_number: '+12125550123', reassigned_number: reassigned });

describe('parseReassigned', () => {
  it.each([
    ['yes', 'reassigned'],
    ['no', 'not_reassigned'],
    ['no_data_available', 'no_data'],
  ])('reads is_number_reassigned "%s" as %s', (value, answer) => {
    // act
    const parsed = parseReassigned(
      body({ last_verified_date: '2026-01-10', is_number_reassigned: value, error_code: null }),
    );

    // assess
    expect(parsed).toMatchObject({ ok: true, answer });
  });

  it.each([
    ['a body that is not JSON', '<html>bad gateway</html>'],
    ['an unknown answer', body({ is_number_reassigned: 'maybe', error_code: null })],
    ['a missing package', JSON.stringify({ phone_number: '+12125550123' })],
    ['an error code', body({ is_number_reassigned: null, error_code: 60600 })],
    ['a null answer', body({ is_number_reassigned: null, error_code: null })],
  ])('counts %s as a failed check, never as "not reassigned"', (_, raw) => {
    // act
    const parsed = parseReassigned(raw);

    // assess
    expect(parsed.ok).toBe(false);
  });
});

describe('parseLineType', () => {
  it('reads the line type and refuses an error code', () => {
    // act
    const ok = parseLineType(
      JSON.stringify({ line_type_intelligence: { type: 'landline', error_code: null } }),
    );
    const failed = parseLineType(
      JSON.stringify({ line_type_intelligence: { type: null, error_code: 60601 } }),
    );

    // assess
    expect(ok).toMatchObject({ ok: true, lineType: 'landline' });
    expect(failed.ok).toBe(false);
  });
});

describe('twilioNumberLookup against the stand-in', () => {
  it('sends LastVerifiedDate as YYYYMMDD and reads a reassignment after it', async () => {
    // prepare
    const { standIn, lookup } = lookupWith();
    standIn.declare('+12125550123', { reassignedAt: new Date('2026-06-01T00:00:00Z') });

    // act
    const since = await lookup.reassigned('+12125550123', '2026-01-10');
    const after = await lookup.reassigned('+12125550123', '2026-06-15');

    // assess
    expect(since).toMatchObject({ ok: true, answer: 'reassigned' });
    expect(after).toMatchObject({ ok: true, answer: 'not_reassigned' });
    expect(standIn.calls.reassigned).toBe(2);
  });

  it.each([
    ['timeout', /timeout/],
    ['http_500', /HTTP 500/],
    ['unparsable', /could not be parsed/],
  ] as const)('reports a %s as a failure', async (failing, reason) => {
    // prepare
    const { standIn, lookup } = lookupWith();
    standIn.declare('+12125550123', { failing });

    // act
    const answer = await lookup.reassigned('+12125550123', '2026-01-10');

    // assess
    expect(answer).toMatchObject({ ok: false, reason: expect.stringMatching(reason) });
  });

  it('fails with wrong credentials, as Twilio answers 401', async () => {
    // prepare
    const { lookup } = lookupWith({ token: 'wrong' });

    // act
    const answer = await lookup.lineType('+12125550123');

    // assess
    expect(answer).toMatchObject({ ok: false, reason: 'Lookup answered HTTP 401 20003' });
  });
});
