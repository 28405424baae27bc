import * as z from 'zod';
import { defineRoute } from '../../../lambdas/handlers/http/route';
import { routeProblems, type Route } from '../../../lambdas/handlers/route';
import { httpHandlers, httpRoutes, routeKey } from '../../../lambdas/handlers/routes';

const contactPath = z.strictObject({ phone: z.string() });
const route = (overrides: Partial<Route> = {}): Route => ({
  ...defineRoute({
    key: 'contacts.example',
    route: 'GET /v1/contacts/{phone}',
    summary: 'an example',
    options: { auth: 'agent', path: contactPath },
    responses: {},
    access: { reads: ['agents'], writes: [] },
    handle: async () => ({ status: 200 }),
  }),
  ...overrides,
});

describe('httpRoutes', () => {
  it('passes its own checks (the list is checked when it loads)', () => {
    // act
    const problems = routeProblems(httpRoutes);

    // assess
    expect(problems).toEqual([]);
  });

  it('declares each key and each method and path once', () => {
    // act
    const keys = httpRoutes.map((candidate) => candidate.key);
    const routeKeys = httpRoutes.map(routeKey);

    // assess
    expect(new Set(keys).size).toBe(keys.length);
    expect(new Set(routeKeys).size).toBe(routeKeys.length);
  });

  it('gives every route its handler factory under its key', () => {
    // assess
    expect(Object.keys(httpHandlers).sort()).toEqual(httpRoutes.map((candidate) => candidate.key).sort());
    for (const candidate of httpRoutes) expect(httpHandlers[candidate.key]).toBe(candidate.create);
  });
});

describe('routeProblems', () => {
  it('accepts a consistent list', () => {
    // assess
    expect(routeProblems([route(), route({ key: 'contacts.other', method: 'PUT' })])).toEqual([]);
  });

  it('refuses a key declared twice', () => {
    // act
    const problems = routeProblems([route(), route({ method: 'PUT' })]);

    // assess
    expect(problems).toEqual(['key contacts.example is declared twice']);
  });

  it('refuses a method and path declared twice', () => {
    // act
    const problems = routeProblems([route(), route({ key: 'contacts.other' })]);

    // assess
    expect(problems).toEqual(['route GET /v1/contacts/{phone} is declared twice']);
  });

  it('refuses a path whose {names} are not the fields its handler validates', () => {
    // act
    const unparsed = routeProblems([route({ params: undefined })]);
    const renamed = routeProblems([route({ params: z.strictObject({ id: z.string() }) })]);

    // assess
    expect(unparsed).toEqual(['contacts.example: the path names {phone} but params has []']);
    expect(renamed).toEqual(['contacts.example: the path names {phone} but params has [id]']);
  });

  it('keeps signed Twilio webhooks, and only them, under /twilio/', () => {
    // act
    const unsigned = routeProblems([route({ path: '/twilio/example', params: undefined })]);
    const signedElsewhere = routeProblems([route({ auth: 'twilio-signature' })]);

    // assess
    expect(unsigned).toEqual(['contacts.example: only Twilio webhooks (signed) live under /twilio/']);
    expect(signedElsewhere).toEqual(['contacts.example: only Twilio webhooks (signed) live under /twilio/']);
  });
});
