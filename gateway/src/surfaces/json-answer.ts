/**
 * A surface's 200 JSON answer as a Response whose headers stay a plain object. Hono's `c.body()`/`c.json()`
 * copy headers into a WHATWG `Headers` (validating each value) that @hono/node-server then turns back into an
 * object; with a plain object, @hono/node-server's own Response hands it to `writeHead` as it is. Takes
 * `headers` over (it adds the content type to it): pass an object built for this answer.
 */
export function jsonAnswer(body: string, headers: Record<string, string>): Response {
  headers['content-type'] = 'application/json';
  return new Response(body, { status: 200, headers });
}
