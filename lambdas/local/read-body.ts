import type { IncomingMessage } from 'node:http';

/**
 * API Gateway HTTP APIs accept at most 10 MB of payload and answer a larger request with 413
 * before any function runs (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html).
 */
export const API_GATEWAY_PAYLOAD_LIMIT = 10 * 1024 * 1024;

/** A body over the limit: the caller answers 413, as API Gateway would. */
export class BodyTooLargeError extends Error {
  override readonly name = 'BodyTooLargeError';
  constructor(readonly limitBytes: number) {
    super(`request body over ${limitBytes} bytes`);
  }
}

/**
 * Reads a request body; refuses more than `limitBytes` with {@link BodyTooLargeError}, at once
 * when `Content-Length` already says so, else as soon as the bytes read pass it.
 */
export async function readBody(
  req: IncomingMessage,
  limitBytes = API_GATEWAY_PAYLOAD_LIMIT,
): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limitBytes) throw new BodyTooLargeError(limitBytes);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > limitBytes) throw new BodyTooLargeError(limitBytes);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}
