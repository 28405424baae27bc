import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { readText } from '../../lambdas/local/twilio-standin';

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

/** A form post a recording webhook received: its path with the query, its headers and its fields. */
export type ReceivedPost = { path: string; headers: IncomingHttpHeaders; params: Record<string, string> };

/** How a recording webhook answers one post. */
export type WebhookAnswer = { status: number; contentType?: string; body?: string };

/** A webhook listening on a free port: its base URL, the posts it received in order, and its close. */
export type RecordingWebhook = { url: string; posts: ReceivedPost[]; close(): Promise<void> };

/**
 * A webhook server that records every form post it receives (Twilio's inbound webhooks and status
 * callbacks are form posts) and answers each as `answer` says: by default a 204 without a body.
 */
export async function recordingWebhook(
  answer: (post: ReceivedPost) => WebhookAnswer = () => ({ status: 204 }),
): Promise<RecordingWebhook> {
  const posts: ReceivedPost[] = [];
  const server = createServer((req, res) => {
    void readText(req).then((text) => {
      const post = {
        path: req.url ?? '',
        headers: req.headers,
        params: Object.fromEntries(new URLSearchParams(text)),
      };
      posts.push(post);
      const reply = answer(post);
      res.writeHead(
        reply.status,
        reply.contentType === undefined ? {} : { 'content-type': reply.contentType },
      );
      res.end(reply.body);
    });
  });
  const url = await listen(server);
  return { url, posts, close: () => close(server) };
}
