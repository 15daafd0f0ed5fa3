import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import type { Logger } from 'pino';
import type { GatewayConfig } from '../config/types.js';
import { closeUpstreamAgent } from '../providers/http-client.js';
import { budgetsOf } from '../spend/budget-config.js';
import { closeStoreOf, storeOf } from '../spend/runtime-store.js';
import { loadRedisStore } from '../store/open-store.js';
import { createLogger } from '../telemetry/logger.js';
import { startTracing } from '../telemetry/start-tracing.js';
import { apiRoutes, createApp, requestListener } from './app.js';
import { markDraining } from './readiness.js';
import type { Runtime } from './runtime.js';

export interface StartOptions {
  config: GatewayConfig;
  port?: number;
  host?: string;
  logger?: Logger;
}

export interface RunningGateway {
  url: string;
  port: number;
  runtime: Runtime;
  /** Swaps in a new config for requests that start from now on. */
  reload(config: GatewayConfig): void;
  /**
   * Graceful stop: readiness turns 503, no new connections are accepted, idle keep-alive connections are closed,
   * requests and streams in flight run to their end (cut after `graceMs`), then upstreams and the store close.
   */
  drain(graceMs: number): Promise<void>;
  close(): Promise<void>;
}

const GATEWAY_VERSION = '0.1.0';
const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/** Refuses to expose an unauthenticated gateway beyond this machine unless the config opted in with `auth: none`. */
export function assertSafeBind(config: GatewayConfig, host: string): void {
  if (LOOPBACK.has(host) || host.startsWith('127.')) return;
  if (config.auth.mode === 'master_key' || config.auth.explicitNone) return;
  throw new Error(
    `Refusing to listen on ${host} without a master key: anyone who can reach it could spend your provider credits. ` +
      'Set auth.master_key (or general_settings.master_key), or write `auth: none` in the config to allow it explicitly.',
  );
}

/** Starts the HTTP server and resolves once it listens. */
export async function startGateway(opts: StartOptions): Promise<RunningGateway> {
  const host = opts.host ?? opts.config.server.host;
  const port = opts.port ?? opts.config.server.port;
  assertSafeBind(opts.config, host);
  const runtime: Runtime = { config: opts.config, logger: opts.logger ?? createLogger(), startedAt: Date.now() };
  // Open the budget store now: the memory journal is replayed before the first request, Redis errors show at start.
  if (budgetsOf(opts.config.extensions)) await storeOf(runtime).catch((err: unknown) => runtime.logger.error({ err }, 'budget store unavailable at start'));
  else if (opts.config.store.kind === 'redis') await loadRedisStore();
  const stopTracing = await startTracing(opts.config, GATEWAY_VERSION);
  if (stopTracing) runtime.logger.info('tracing on: exporting spans over OTLP/HTTP');
  const routes = apiRoutes(runtime);
  const app = createApp(runtime, routes);
  const server = createServer(requestListener(runtime, routes, getRequestListener(app.fetch, { hostname: host })));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // Streams and long non-streamed answers may legitimately take minutes; clients wait up to 600 s.
  server.requestTimeout = 0;
  server.keepAliveTimeout = 65_000;
  const address = server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const shutDown = () => Promise.resolve().then(closeUpstreamAgent).then(() => closeStoreOf(runtime)).then(() => stopTracing?.());
  return {
    url: `http://${urlHost}:${address.port}`,
    port: address.port,
    runtime,
    reload(config) {
      runtime.config = config;
    },
    async drain(graceMs) {
      markDraining(runtime);
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // A keep-alive connection becomes idle when its last response ends; close each as soon as it does.
      const sweep = setInterval(() => server.closeIdleConnections(), 50);
      server.closeIdleConnections();
      let deadline: NodeJS.Timeout | undefined;
      const cut = new Promise<void>((resolve) => {
        deadline = setTimeout(() => {
          runtime.logger.warn({ graceMs }, 'drain deadline reached: closing the connections still open');
          server.closeAllConnections();
          resolve();
        }, graceMs);
      });
      await Promise.race([closed, cut]);
      clearInterval(sweep);
      clearTimeout(deadline);
      await shutDown();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }).then(shutDown),
  };
}
