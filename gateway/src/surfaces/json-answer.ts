import type { IncomingMessage, ServerResponse } from 'node:http';

/** A surface's JSON answer, written by the server once the handler has settled the request (see sendAnswer). */
export interface JsonAnswer {
  status: number;
  body: string;
  headers: Record<string, string>;
}

/**
 * An API surface: reads the Node request itself and either streams its answer on `outgoing` (resolving to
 * undefined once done) or resolves to the JSON answer to send. Handlers catch their own errors and answer them in
 * their API's shape; a JSON answer is only written after the handler's settle (spend journaled before answered).
 */
export type SurfaceHandler = (incoming: IncomingMessage, outgoing: ServerResponse) => Promise<JsonAnswer | undefined>;

/** A JSON answer; takes `headers` over (it adds the content type to it): pass an object built for this answer. */
export function jsonAnswer(body: string, headers: Record<string, string>, status = 200): JsonAnswer {
  headers['content-type'] = 'application/json';
  return { status, body, headers };
}

/** Writes a JSON answer, unless the response already started (a stream) or the client went away. */
export function sendAnswer(res: ServerResponse, answer: JsonAnswer | undefined): void {
  if (!answer || res.headersSent || res.destroyed) return;
  res.writeHead(answer.status, answer.headers);
  res.end(answer.body);
}
