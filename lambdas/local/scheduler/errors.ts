import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';

/**
 * Scheduler's error protocol: an HTTP status, the exception name in `x-amzn-errortype` (and
 * `__type`) and a `Message`, which the SDK turns into the named exception class.
 */
export class SchedulerError extends Error {
  constructor(
    readonly status: number,
    readonly type:
      'ValidationException' | 'ConflictException' | 'ResourceNotFoundException' | 'InternalServerException',
    message: string,
  ) {
    super(message);
  }
}

/** The failure to answer for anything a request raised: a {@link SchedulerError} or a 500. */
export function asSchedulerError(error: unknown): SchedulerError {
  if (error instanceof SchedulerError) return error;
  return new SchedulerError(
    500,
    'InternalServerException',
    error instanceof Error ? error.message : String(error),
  );
}

/** Writes a JSON answer; with `errorType`, as the SDK reads an error. */
export function respond(res: ServerResponse, status: number, body: object, errorType?: string): void {
  // The SDK reads the error name from x-amzn-errortype (or __type) and throws that exception.
  res.writeHead(status, {
    'content-type': 'application/json',
    'x-amzn-requestid': randomUUID(),
    ...(errorType === undefined ? {} : { 'x-amzn-errortype': errorType }),
  });
  res.end(JSON.stringify(errorType === undefined ? body : { ...body, __type: errorType }));
}
