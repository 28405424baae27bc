import { Conflict, Forbidden, InvalidInput, NotFound, Refused } from '../../../lambdas/domain-errors';
import { asHttpError } from '../../../lambdas/handlers/error-status';
import { HttpError } from '../../../lambdas/handlers/http-error';
import { ConflictError } from '../../../lambdas/ports';

describe('asHttpError', () => {
  it.each([
    [new InvalidInput('body.at', 'is before 1990'), 400, 'invalid_request', 'body.at: is before 1990'],
    [new Forbidden('agent_suspended', 'suspended'), 403, 'agent_suspended', 'suspended'],
    [new NotFound('no contact +15551230000'), 404, 'not_found', 'no contact +15551230000'],
    [new Conflict('already_enrolled', 'enrolled'), 409, 'already_enrolled', 'enrolled'],
    [new ConflictError('lost the race'), 409, 'conflict', 'lost the race'],
    [new Refused('consent_required', 'no consent'), 422, 'consent_required', 'no consent'],
  ])('gives %p the status of its kind', (error, status, code, message) => {
    expect(asHttpError(error)).toMatchObject({ status, code, message });
  });

  it('keeps the details a caller acts on', () => {
    expect(asHttpError(new Refused('consent_required', 'no', { badge: 'oral_only' }))?.details).toEqual({
      badge: 'oral_only',
    });
  });

  it('passes an HTTP-layer refusal through and leaves anything unexpected to the 500 path', () => {
    const http = new HttpError(415, 'unsupported_media_type', 'json only');
    expect(asHttpError(http)).toBe(http);
    expect(asHttpError(new Error('table unreachable'))).toBeUndefined();
    expect(asHttpError('thrown string')).toBeUndefined();
  });
});
