import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { LOOPBACK } from '../engines/free-port';
import { asSchedulerError, respond, SchedulerError } from './errors';
import { DEFAULT_GROUP, validName } from './schemas';
import type { ScheduleStore, StoredSchedule } from './store';

const SCHEDULE_PATH = /^\/schedules\/([^/]+)$/;

/** Scheduler's REST-JSON wire for CreateSchedule, GetSchedule and DeleteSchedule over `store`. */
export function schedulerHandler(store: ScheduleStore): (req: IncomingMessage, res: ServerResponse) => void {
  async function route(method: string, url: URL, body: () => Promise<unknown>): Promise<object> {
    const match = SCHEDULE_PATH.exec(url.pathname);
    if (match?.[1] === undefined) {
      throw new SchedulerError(
        404,
        'ResourceNotFoundException',
        `The stand-in does not serve ${method} ${url.pathname}.`,
      );
    }
    const name = validName(decodeURIComponent(match[1]), 'Name');
    const groupName = validName(url.searchParams.get('groupName') ?? DEFAULT_GROUP, 'GroupName');
    switch (method) {
      case 'POST':
        return store.create(name, await body());
      case 'GET':
        return describe(store.find(name, groupName));
      case 'DELETE':
        store.find(name, groupName);
        store.delete(name, groupName);
        return {};
      default:
        throw new SchedulerError(
          400,
          'ValidationException',
          `The stand-in does not serve ${method} on schedules.`,
        );
    }
  }

  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://scheduler.local');
    route(req.method ?? 'GET', url, () => readJson(req)).then(
      (body) => respond(res, 200, body),
      (error: unknown) => {
        const failure = asSchedulerError(error);
        respond(res, failure.status, { Message: failure.message }, failure.type);
      },
    );
  };
}

/** Serves `handler` on 127.0.0.1 (a free port unless given). */
export function listenOn(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  port = 0,
): Promise<{ endpoint: string; close(): Promise<void> }> {
  const server = createServer(handler);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, LOOPBACK, () => {
      const address = server.address();
      const bound = typeof address === 'object' && address !== null ? address.port : port;
      resolve({
        endpoint: `http://${LOOPBACK}:${bound}`,
        close: () =>
          new Promise<void>((done) => {
            // The SDK keeps sockets alive; without this, close() would wait for them to idle out.
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

function describe(s: StoredSchedule): object {
  return {
    Arn: s.arn,
    GroupName: s.groupName,
    Name: s.name,
    ScheduleExpression: s.scheduleExpression,
    ScheduleExpressionTimezone: 'UTC',
    State: s.state,
    // REST-JSON timestamps are epoch seconds.
    CreationDate: s.createdAt.getTime() / 1000,
    LastModificationDate: s.createdAt.getTime() / 1000,
    Target: s.target,
    FlexibleTimeWindow: s.flexibleTimeWindow,
    ActionAfterCompletion: s.actionAfterCompletion,
  };
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return text === '' ? {} : JSON.parse(text);
  } catch {
    throw new SchedulerError(400, 'ValidationException', 'The request body is not JSON.');
  }
}
