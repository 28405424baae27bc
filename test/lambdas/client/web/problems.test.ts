import { ConsentLineApiError, ConsentLineConnectionError } from '../../../../lambdas/client/errors';
import { problemsOf, withUnshown } from '../../../../lambdas/client/web/src/problems';
import { csvLine, parseCsv } from '../../../../lambdas/client/web/src/csv';

describe('problemsOf: what the console shows for a failed request', () => {
  test('puts each zod issue next to the field it names, without the request part', () => {
    const error = new ConsentLineApiError(400, {
      error: 'invalid_request',
      message: 'body.capturedBy: is required; body.at: must be between 1990 and 2100',
      issues: [
        { path: 'body.capturedBy', message: 'is required' },
        { path: 'body.at', message: 'must be between 1990 and 2100' },
      ],
    });
    expect(problemsOf(error)).toEqual({
      fields: { capturedBy: 'is required', at: 'must be between 1990 and 2100' },
    });
  });

  test('reads the field from a message that starts with it (422 not_consent)', () => {
    const error = new ConsentLineApiError(422, {
      error: 'not_consent',
      message: 'method: a business card implies a call, not texts',
    });
    expect(problemsOf(error).fields).toEqual({ method: 'a business card implies a call, not texts' });
  });

  test('keeps a refusal that names no field for the form', () => {
    const error = new ConsentLineApiError(409, { error: 'already_enrolled', message: 'already enrolled' });
    expect(problemsOf(error)).toEqual({ fields: {}, form: 'already enrolled' });
  });

  test('signs out on 401 and marks 5xx and network failures as unavailable', () => {
    expect(
      problemsOf(new ConsentLineApiError(401, { error: 'unauthorized', message: 'unknown API key' })),
    ).toEqual({
      fields: {},
      form: 'unknown API key',
      signedOut: true,
    });
    expect(problemsOf(new ConsentLineApiError(502, { message: 'bad gateway' }))).toMatchObject({
      unavailable: true,
      form: expect.stringContaining('HTTP 502'),
    });
    expect(problemsOf(new ConsentLineConnectionError('ECONNREFUSED'))).toMatchObject({
      unavailable: true,
      form: expect.stringContaining('could not be reached'),
    });
  });

  test('moves messages about fields a form does not show to the form, so none is hidden', () => {
    const shown = withUnshown({ fields: { method: 'refused', channel: 'unknown' } }, ['method']);
    expect(shown.fields.method).toBe('refused');
    expect(shown.form).toBe('channel: unknown');
  });
});

describe('CSV', () => {
  test('parses quoted fields with commas, quotes and line breaks, and writes them back', () => {
    const rows = [
      ['phone', 'name', 'notes'],
      ['+13055550142', 'Lopez, Ana', 'said "yes"\non the call'],
    ];
    const text = rows.map(csvLine).join('\r\n') + '\r\n';
    expect(parseCsv(text)).toEqual(rows);
  });

  test('skips blank lines', () => {
    expect(parseCsv('a,b\n\n1,2\n')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });
});
