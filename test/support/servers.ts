import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Something that answers the requests it knows (a stand-in, the simulated phone) and says whether it did. */
export type RequestHandler = { handle(req: IncomingMessage, res: ServerResponse): Promise<boolean> };

/** An HTTP server for `routes`: a 404 for any request they do not answer. */
export function serve(routes: RequestHandler): Server {
  return createServer((req, res) => {
    void routes.handle(req, res).then((handled) => {
      if (!handled) res.writeHead(404).end();
    });
  });
}

/** Listens on a free 127.0.0.1 port; resolves to the server's base URL. */
export async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Closes the server and the connections kept alive to it. */
export async function close(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}
