import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { keepAliveFetch } from './keep-alive-fetch';

let server: Server;
let url: string;
const seen: Array<{ method?: string; headers: IncomingMessage['headers']; body: string; socket: unknown }> =
  [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      seen.push({
        method: req.method,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        socket: req.socket,
      });
      res.writeHead(req.url === '/missing' ? 404 : 200, { 'content-type': 'text/plain' });
      res.end(`answer ${seen.length}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('keepAliveFetch', () => {
  it('posts the body and headers, answers the status and text, and reuses one connection', async () => {
    // prepare
    const http = keepAliveFetch();
    seen.length = 0;

    // act
    const first = await http.fetch(`${url}/twilio/sms`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': 'sig' },
      body: 'Body=STOP&From=%2B12125550100',
    });
    const firstText = await first.text();
    const second = await http.fetch(`${url}/missing`);
    const secondText = await second.text();
    http.close();

    // assess
    expect([first.status, firstText]).toEqual([200, 'answer 1']);
    expect([second.status, secondText]).toEqual([404, 'answer 2']);
    expect(seen[0]).toMatchObject({
      method: 'POST',
      body: 'Body=STOP&From=%2B12125550100',
      headers: { 'x-twilio-signature': 'sig', 'content-length': '29' },
    });
    expect(seen[1]?.method).toBe('GET');
    expect(seen[1]?.socket).toBe(seen[0]?.socket);
  });
});
