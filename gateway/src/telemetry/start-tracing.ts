import type { GatewayConfig } from '../config/types.js';
import { telemetryOf } from './telemetry-config.js';
import { setTraceHooks } from './trace-hooks.js';

/**
 * Whether tracing is on: `telemetry.tracing.enabled` when set, else the standard OTEL_* variables (an OTLP
 * endpoint, or OTEL_TRACES_EXPORTER=otlp); OTEL_SDK_DISABLED=true and OTEL_TRACES_EXPORTER=none turn it off.
 */
export function tracingEnabled(config: GatewayConfig, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.OTEL_SDK_DISABLED === 'true' || env.OTEL_TRACES_EXPORTER === 'none') return false;
  const configured = telemetryOf(config.extensions).tracing.enabled;
  if (configured !== undefined) return configured;
  return Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || env.OTEL_TRACES_EXPORTER === 'otlp');
}

/**
 * Starts tracing when it is on, loading the OpenTelemetry SDK by dynamic import (so a gateway without tracing
 * never loads it) and installing the request-path hooks. Returns the shutdown that flushes pending spans.
 */
export async function startTracing(config: GatewayConfig, version: string): Promise<(() => Promise<void>) | undefined> {
  if (!tracingEnabled(config)) return undefined;
  const { createTracing } = await import('./tracing.js');
  const tracing = createTracing(telemetryOf(config.extensions).tracing, version);
  setTraceHooks(tracing.hooks);
  return async () => {
    setTraceHooks(undefined);
    await tracing.shutdown();
  };
}
