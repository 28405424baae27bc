/** Matches a request path against API Gateway style templates (`/v1/contacts/{phone}`). */
export type RouteTemplate = { method: string; path: string };

export type RouteMatch<T extends RouteTemplate> = {
  route: T;
  routeKey: string;
  pathParameters: Record<string, string>;
};

export function createRouteMatcher<T extends RouteTemplate>(routes: readonly T[]) {
  const compiled = routes.map((route) => {
    const names: string[] = [];
    const pattern = route.path.replace(/\{(\w+)\}/g, (_whole, name: string) => {
      names.push(name);
      return '([^/]+)';
    });
    return { route, names, regex: new RegExp(`^${pattern}$`) };
  });
  return (method: string, path: string): RouteMatch<T> | 'method_not_allowed' | undefined => {
    let pathMatched = false;
    for (const { route, names, regex } of compiled) {
      const match = regex.exec(path);
      if (!match) continue;
      pathMatched = true;
      if (route.method !== method) continue;
      const pathParameters: Record<string, string> = {};
      names.forEach((name, i) => {
        pathParameters[name] = safeDecode(match[i + 1]!);
      });
      return { route, routeKey: `${route.method} ${route.path}`, pathParameters };
    }
    return pathMatched ? 'method_not_allowed' : undefined;
  };
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
