import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

/**
 * The headers the console is served with, locally and by CloudFront: scripts and styles from
 * this origin only, no inline script, no framing, no referrer.
 */
export const consoleSecurityHeaders: Record<string, string> = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=()',
};

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

/**
 * Serves the built console from `dir`: `/` is `index.html`, `/assets/*` are the hashed files
 * (cached for a year); anything else is left to the API. Answers true when it served.
 */
export function createConsoleRoutes(dir: string) {
  const root = normalize(dir + sep);
  return {
    async handle(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
      if (req.method !== 'GET' && req.method !== 'HEAD') return false;
      const { pathname } = new URL(req.url ?? '/', 'http://console');
      const isIndex = pathname === '/' || pathname === '/index.html';
      if (!isIndex && !pathname.startsWith('/assets/')) return false;
      const file = normalize(join(root, isIndex ? 'index.html' : decodeURIComponent(pathname)));
      if (!file.startsWith(root)) return false;
      let content: Buffer;
      try {
        content = await readFile(file);
      } catch {
        return false;
      }
      res.writeHead(200, {
        ...consoleSecurityHeaders,
        'content-type': types[extname(file)] ?? 'application/octet-stream',
        'cache-control': isIndex ? 'no-cache' : 'public, max-age=31536000, immutable',
      });
      res.end(req.method === 'HEAD' ? undefined : content);
      return true;
    },
  };
}
