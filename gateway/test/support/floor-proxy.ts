import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pipeline } from 'node:stream/promises';
import { Pool } from 'undici';

export interface FloorProxy {
  url: string;
  close(): Promise<void>;
}

/**
 * The benchmark floor: the least a Node proxy can do. It reads the body, forwards it unparsed to the same
 * path upstream over a large keep-alive undici pool, and pipes status, content type and body back.
 */
export async function startFloorProxy(upstreamOrigin: string): Promise<FloorProxy> {
  const pool = new Pool(upstreamOrigin, {
    connections: null, // unlimited: the floor never queues a request for a connection
    keepAliveTimeout: 30_000,
    keepAliveMaxTimeout: 120_000,
    headersTimeout: 0,
    bodyTimeout: 0,
  });

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const abort = new AbortController();
      res.on('close', () => {
        if (!res.writableFinished) abort.abort();
      });
      const headers: Record<string, string> = { 'content-type': req.headers['content-type'] ?? 'application/json' };
      if (req.headers.authorization) headers.authorization = req.headers.authorization;
      pool
        .request({ path: req.url ?? '/', method: (req.method ?? 'GET') as 'GET', headers, body: chunks.length ? Buffer.concat(chunks) : null, signal: abort.signal })
        .then(async (up) => {
          const type = up.headers['content-type'];
          res.writeHead(up.statusCode, typeof type === 'string' ? { 'content-type': type } : {});
          await pipeline(up.body, res);
        })
        .catch(() => {
          if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' }).end('{"error":{"message":"floor proxy: upstream failed","type":"upstream_error","code":null,"param":null}}');
          else res.destroy();
        });
    });
  });
  server.keepAliveTimeout = 65_000;
  server.requestTimeout = 0;

  // A deep accept queue, so that thousands of clients connecting at once are not reset on a busy machine.
  await new Promise<void>((resolve) => server.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      const done = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await done;
      await pool.close();
    },
  };
}
