import { z } from 'zod';
import { isRecord } from '../config/diagnostics.js';
import { booleanish, strictObject } from '../config/strict-object.js';
import type { ConfigDiagnostic } from '../config/types.js';
import { zodIssuesToDiagnostics } from '../config/zod-diagnostics.js';

const url = z.string().min(1).refine((s) => URL.canParse(s), { message: 'not a valid URL: write it in full, e.g. http://localhost:4318' });

/** The `telemetry:` config section (native, and accepted in a LiteLLM config.yaml too). */
export const telemetrySectionSchema = strictObject({
  metrics: strictObject({
    /** When set, `GET /metrics` requires `Authorization: Bearer <token>` (Prometheus: `authorization: {credentials: …}`). */
    bearer_token: z.string().min(1, { message: 'must not be empty: remove it to leave /metrics open, or set the variable it reads' }).optional(),
  }).optional(),
  tracing: strictObject({
    /** Export OpenTelemetry traces (default: on when OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_TRACES_EXPORTER=otlp is set). */
    enabled: booleanish.optional(),
    /** OTLP/HTTP endpoint: a base URL (`/v1/traces` is appended) as in OTEL_EXPORTER_OTLP_ENDPOINT. */
    endpoint: url.optional(),
    service_name: z.string().min(1).optional(),
    /** Share of new traces recorded (a client's sampled traceparent is always followed). Default 1. */
    sample_ratio: z.number().min(0).max(1).optional(),
    /** Extra headers on every export request (a collector's API key …). */
    headers: z.record(z.string(), z.string()).optional(),
    /** Record prompt and answer text on spans (default false: they may hold secrets and personal data). */
    capture_content: booleanish.optional(),
  }).optional(),
});

export interface TracingSettings {
  enabled?: boolean;
  endpoint?: string;
  serviceName?: string;
  sampleRatio?: number;
  headers: Record<string, string>;
  captureContent: boolean;
}

/** The compiled telemetry settings, kept in `config.extensions.telemetry`. */
export interface CompiledTelemetry {
  kind: 'switchyard.telemetry';
  metricsBearerToken?: string;
  /** LiteLLM's `litellm_settings.require_auth_for_metrics_endpoint`: /metrics takes the gateway's API keys. */
  metricsRequireApiKey: boolean;
  tracing: TracingSettings;
}

const DEFAULTS: CompiledTelemetry = { kind: 'switchyard.telemetry', metricsRequireApiKey: false, tracing: { headers: {}, captureContent: false } };

/** The telemetry settings of a config (defaults when it has no telemetry section). */
export function telemetryOf(extensions: Readonly<Record<string, unknown>>): CompiledTelemetry {
  const value = extensions.telemetry as CompiledTelemetry | undefined;
  return value?.kind === 'switchyard.telemetry' ? value : DEFAULTS;
}

/** Validates `telemetry:` (and LiteLLM's metrics auth switch); nothing to install when neither is present. */
export function compileTelemetry(raw: unknown, litellmSettings?: unknown): { telemetry?: CompiledTelemetry; diagnostics: ConfigDiagnostic[] } {
  const requireKey = isRecord(litellmSettings) && litellmSettings.require_auth_for_metrics_endpoint === true;
  if ((raw === undefined || raw === null) && !requireKey) return { diagnostics: [] };
  const parsed = telemetrySectionSchema.safeParse(raw ?? {}, { reportInput: true });
  if (!parsed.success) return { diagnostics: zodIssuesToDiagnostics(parsed.error.issues, { prefix: ['telemetry'] }) };
  const { metrics, tracing } = parsed.data;
  return {
    telemetry: {
      kind: 'switchyard.telemetry',
      ...(metrics?.bearer_token ? { metricsBearerToken: metrics.bearer_token } : {}),
      metricsRequireApiKey: requireKey,
      tracing: {
        ...(tracing?.enabled !== undefined ? { enabled: tracing.enabled } : {}),
        ...(tracing?.endpoint ? { endpoint: tracing.endpoint } : {}),
        ...(tracing?.service_name ? { serviceName: tracing.service_name } : {}),
        ...(tracing?.sample_ratio !== undefined ? { sampleRatio: tracing.sample_ratio } : {}),
        headers: tracing?.headers ?? {},
        captureContent: tracing?.capture_content ?? false,
      },
    },
    diagnostics: [],
  };
}
