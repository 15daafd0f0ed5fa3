import { isUtf8 } from 'node:buffer';
import type { IncomingMessage } from 'node:http';
import { GatewayError } from '../core/errors.js';
import { exceedsDepth, MAX_JSON_DEPTH } from './json-depth.js';

/**
 * How much of an oversize body is still read (and dropped) so that the client, which may only read the answer
 * once it has sent everything, gets the 413 instead of a reset. Past either bound the connection is closed.
 */
const DRAIN_BYTES = 64 * 1024 * 1024;
const DRAIN_MS = 10_000;

/** Reads a request body up to `limit` bytes; larger bodies are refused with 413 and never buffered. */
export function readBody(incoming: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(incoming.headers['content-length']);
  if (declared > limit + DRAIN_BYTES) {
    incoming.resume();
    return Promise.reject(tooLarge(limit, true));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let timer: NodeJS.Timeout | undefined;
    const refuse = (close: boolean) => {
      clearTimeout(timer);
      incoming.removeListener('data', onData);
      reject(tooLarge(limit, close));
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (timer) {
        if (size > limit + DRAIN_BYTES) refuse(true);
        return;
      }
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      // Over the limit: drop what was read, read on until the body ends, and answer then.
      chunks.length = 0;
      timer = setTimeout(() => refuse(true), DRAIN_MS);
    };
    incoming.on('data', onData);
    incoming.on('end', () => {
      if (timer) refuse(false);
      else resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
    });
    incoming.on('error', (err) => {
      clearTimeout(timer);
      reject(new GatewayError('invalid_request', 'Could not read the request body', { cause: err }));
    });
  });
}

/** Reads and parses a JSON body: invalid UTF-8, invalid JSON and absurd nesting are a 400 that says which. */
export async function readJsonBody(incoming: IncomingMessage, limit: number): Promise<unknown> {
  return (await readJsonText(incoming, limit)).value;
}

/** readJsonBody, with the body's text and bytes beside its value (for a surface that relays the body). */
export async function readJsonText(incoming: IncomingMessage, limit: number): Promise<{ text: string; bytes: Buffer; value: unknown }> {
  const buf = await readBody(incoming, limit);
  if (buf.length === 0) throw new GatewayError('invalid_request', 'Request body is empty; expected a JSON object', { code: 'invalid_json' });
  if (!isUtf8(buf)) throw new GatewayError('invalid_request', 'Request body is not valid UTF-8', { code: 'invalid_encoding' });
  const text = buf.toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new GatewayError('invalid_request', `Request body is not valid JSON: ${(err as Error).message}`, { code: 'invalid_json' });
  }
  if (exceedsDepth(value, MAX_JSON_DEPTH)) {
    throw new GatewayError('invalid_request', `Request body is nested more than ${MAX_JSON_DEPTH} levels deep`, { code: 'invalid_json' });
  }
  return { text, bytes: buf, value };
}

function tooLarge(limit: number, closeConnection: boolean): GatewayError {
  return new GatewayError('request_too_large', `Request body exceeds the ${formatBytes(limit)} limit`, {
    code: 'request_too_large',
    ...(closeConnection ? { headers: { connection: 'close' } } : {}),
  });
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / 1024 / 1024} MB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KB`;
  return `${bytes} bytes`;
}
