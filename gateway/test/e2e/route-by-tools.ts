import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A loopback HTTP relay in front of two upstreams. */
export interface ToolsRouter {
  /** Base URL to give the gateway (same path layout as the upstreams, e.g. ending in `/v1`). */
  url: string;
  close(): Promise<void>;
}

/**
 * Relays each request to `withTools` when its JSON body has a non-empty `tools` array, else to `withoutTools`.
 * OpenCode's title request (no tools) runs concurrently with the agent turn, so a single FIFO reply queue
 * cannot tell them apart; splitting by content keeps each upstream's queue deterministic.
 */
export async function startToolsRouter(upstreams: { withTools: string; withoutTools: string }): Promise<ToolsRouter> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const base = hasTools(body) ? upstreams.withTools : upstreams.withoutTools;
      // Both upstreams share the path layout: keep the part of the path after the router's own base path.
      const target = new URL(base.replace(/\/$/, '') + (req.url ?? '/').replace(/^\/v1/, ''));
      const headers = { ...req.headers, host: target.host, 'content-length': String(body.length) };
      const upstream = httpRequest(target, { method: req.method, headers }, (upRes) => {
        res.writeHead(upRes.statusCode ?? 502, upRes.headers);
        upRes.pipe(res);
      });
      upstream.on('error', (err) => {
        if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: `tools router: ${err.message}` } }));
      });
      res.on('close', () => upstream.destroy());
      upstream.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function hasTools(body: Buffer): boolean {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { tools?: unknown };
    return Array.isArray(parsed.tools) && parsed.tools.length > 0;
  } catch {
    return false;
  }
}
