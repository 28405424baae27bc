import { httpHandlers, httpRoutes, routeKey } from '../../../lambdas/handlers/routes';

describe('httpRoutes', () => {
  it('points every route at a registered handler factory', () => {
    // act
    const missing = httpRoutes.filter((route) => httpHandlers[route.handler] === undefined);

    // assess
    expect(missing).toEqual([]);
  });

  it('declares each route key once', () => {
    // act
    const keys = httpRoutes.map(routeKey);

    // assess
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('serves every registered handler on some route', () => {
    // act
    const unrouted = Object.keys(httpHandlers).filter(
      (key) => !httpRoutes.some((route) => route.handler === key),
    );

    // assess
    expect(unrouted).toEqual([]);
  });
});
