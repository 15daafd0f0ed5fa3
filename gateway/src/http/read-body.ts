import type { IncomingMessage } from 'node:http';
import { GatewayError } from '../core/errors.js';

/** Reads a request body up to `limit` bytes; larger bodies are refused with 413 before they are buffered. */
export function readBody(incoming: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(incoming.headers['content-length']);
  if (declared > limit) {
    incoming.resume();
    return Promise.reject(tooLarge(limit));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    incoming.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        incoming.removeAllListeners('data');
        incoming.resume();
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    });
    incoming.on('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    incoming.on('error', (err) => reject(new GatewayError('invalid_request', 'Could not read the request body', { cause: err })));
  });
}

/** Reads and parses a JSON body; invalid JSON is a 400 that says so. */
export async function readJsonBody(incoming: IncomingMessage, limit: number): Promise<unknown> {
  const buf = await readBody(incoming, limit);
  if (buf.length === 0) throw new GatewayError('invalid_request', 'Request body is empty; expected a JSON object', { code: 'invalid_json' });
  try {
    return JSON.parse(buf.toString('utf8'));
  } catch (err) {
    throw new GatewayError('invalid_request', `Request body is not valid JSON: ${(err as Error).message}`, { code: 'invalid_json' });
  }
}

function tooLarge(limit: number): GatewayError {
  return new GatewayError('request_too_large', `Request body exceeds the ${Math.round(limit / 1024 / 1024)} MB limit`, { code: 'request_too_large' });
}
