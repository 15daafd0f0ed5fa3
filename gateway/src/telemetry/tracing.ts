import { context, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes, type Span, type TextMapGetter, type TextMapSetter } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { detectResources, envDetector, resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider, ParentBasedSampler, TraceIdRatioBasedSampler } from '@opentelemetry/sdk-trace-node';
import {
  ATTR_ERROR_TYPE,
  ATTR_GEN_AI_INPUT_MESSAGES,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_FREQUENCY_PENALTY,
  ATTR_GEN_AI_REQUEST_MAX_TOKENS,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_REQUEST_PRESENCE_PENALTY,
  ATTR_GEN_AI_REQUEST_SEED,
  ATTR_GEN_AI_REQUEST_STOP_SEQUENCES,
  ATTR_GEN_AI_REQUEST_STREAM,
  ATTR_GEN_AI_REQUEST_TEMPERATURE,
  ATTR_GEN_AI_REQUEST_TOP_K,
  ATTR_GEN_AI_REQUEST_TOP_P,
  ATTR_GEN_AI_RESPONSE_MODEL,
  ATTR_GEN_AI_RESPONSE_TIME_TO_FIRST_CHUNK,
  ATTR_GEN_AI_USAGE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_OUTPUT_TOKENS,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  ATTR_SERVICE_NAME,
} from '@opentelemetry/semantic-conventions/incubating';
import type { Deployment } from '../config/types.js';
import { classifyFailure } from '../dispatch/classify-failure.js';
import { upstreamErrorClass } from './error-class.js';
import type { TracingSettings } from './telemetry-config.js';
import type { RequestSpanEnd, TraceHooks } from './trace-hooks.js';

/**
 * OpenTelemetry tracing: one server span per request (GenAI semantic conventions plus `switchyard.*`) and one
 * client span per upstream attempt, exported over OTLP/HTTP. This module is imported only when tracing is on.
 */
export interface Tracing {
  hooks: TraceHooks;
  shutdown(): Promise<void>;
}

const getter: TextMapGetter<(name: string) => string | undefined> = { get: (header, key) => header(key), keys: () => [] };
const setter: TextMapSetter<Record<string, string>> = { set: (carrier, key, value) => (carrier[key] = value) };
const OPERATION = 'chat';
/** Captured message text is cut here so one span stays exportable. */
const MAX_CONTENT_CHARS = 32_000;

export function createTracing(settings: TracingSettings, serviceVersion: string): Tracing {
  const exporter = new OTLPTraceExporter({
    ...(settings.endpoint ? { url: `${settings.endpoint.replace(/\/+$/, '')}/v1/traces` } : {}),
    ...(Object.keys(settings.headers).length ? { headers: settings.headers } : {}),
  });
  const serviceName = settings.serviceName ?? process.env.OTEL_SERVICE_NAME ?? 'switchyard';
  const provider = new NodeTracerProvider({
    resource: detectResources({ detectors: [envDetector] }).merge(resourceFromAttributes({ [ATTR_SERVICE_NAME]: serviceName, 'service.version': serviceVersion })),
    // Without a configured ratio the SDK reads OTEL_TRACES_SAMPLER / OTEL_TRACES_SAMPLER_ARG.
    ...(settings.sampleRatio !== undefined ? { sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(settings.sampleRatio) }) } : {}),
    spanProcessors: [new BatchSpanProcessor(exporter)],
  });
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  const tracer = provider.getTracer('switchyard', serviceVersion);
  const propagator = new W3CTraceContextPropagator();

  const hooks: TraceHooks = {
    startRequest(surface, header) {
      const parent = propagator.extract(ROOT_CONTEXT, header, getter);
      return tracer.startSpan(OPERATION, { kind: SpanKind.SERVER, attributes: { [ATTR_GEN_AI_OPERATION_NAME]: OPERATION, 'switchyard.surface': surface } }, parent);
    },
    within(span, fn) {
      return context.with(trace.setSpan(context.active(), span as Span), fn);
    },
    attempt(deployment, retry, run) {
      const span = tracer.startSpan(`${OPERATION} ${deployment.upstreamModel}`, { kind: SpanKind.CLIENT, attributes: attemptAttributes(deployment, retry) });
      return context.with(trace.setSpan(context.active(), span), run).then(
        (result) => {
          span.end();
          return result;
        },
        (err: unknown) => {
          const failure = classifyFailure(err);
          span.setAttribute(ATTR_ERROR_TYPE, upstreamErrorClass(failure));
          if (failure.status !== undefined) span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, failure.status);
          span.setStatus({ code: SpanStatusCode.ERROR, message: failure.error.message });
          span.end();
          throw err;
        },
      );
    },
    skipped(deployment, reason) {
      trace.getActiveSpan()?.addEvent('switchyard.deployment_skipped', { 'switchyard.deployment': deployment.id, 'switchyard.skip_reason': reason });
    },
    inject(headers) {
      const out = { ...headers };
      propagator.inject(context.active(), out, setter);
      return out;
    },
    endRequest(span, end) {
      endRequestSpan(span as Span, end, settings.captureContent);
    },
    traceId: (span) => (span as Span).spanContext().traceId,
  };

  return {
    hooks,
    async shutdown() {
      await provider.shutdown().catch(() => {});
      contextManager.disable();
      context.disable();
    },
  };
}

function attemptAttributes(d: Deployment, retry: number): Attributes {
  const attrs: Attributes = {
    [ATTR_GEN_AI_OPERATION_NAME]: OPERATION,
    [ATTR_GEN_AI_PROVIDER_NAME]: providerName(d),
    [ATTR_GEN_AI_REQUEST_MODEL]: d.upstreamModel,
    'switchyard.deployment': d.id,
    'switchyard.provider': d.provider.name,
    'switchyard.attempt.retry': retry,
  };
  const url = URL.canParse(d.provider.baseUrl) ? new URL(d.provider.baseUrl) : undefined;
  if (url) {
    attrs[ATTR_SERVER_ADDRESS] = url.hostname;
    attrs[ATTR_SERVER_PORT] = Number(url.port) || (url.protocol === 'https:' ? 443 : 80);
  }
  return attrs;
}

/** `gen_ai.provider.name`: the wire format's provider (OpenAI-compatible upstreams speak `openai`). */
function providerName(d: Deployment): string {
  if (d.provider.kind === 'anthropic') return 'anthropic';
  if (d.provider.kind === 'demo') return 'switchyard.demo';
  return d.provider.baseUrl.includes('openrouter.ai') ? 'openrouter' : 'openai';
}

function endRequestSpan(span: Span, end: RequestSpanEnd, captureContent: boolean): void {
  const { record, deployment, route } = end;
  const attrs: Attributes = { 'switchyard.request_id': record.requestId };
  if (record.modelAsked !== undefined) {
    attrs[ATTR_GEN_AI_REQUEST_MODEL] = record.modelAsked;
    span.updateName(`${OPERATION} ${record.modelAsked}`);
  }
  if (deployment) {
    attrs[ATTR_GEN_AI_PROVIDER_NAME] = providerName(deployment);
    attrs[ATTR_GEN_AI_RESPONSE_MODEL] = deployment.upstreamModel;
    attrs['switchyard.model'] = deployment.modelName;
    attrs['switchyard.deployment'] = deployment.id;
  }
  Object.assign(attrs, requestParameters(record.request));
  if (record.stream !== undefined) attrs[ATTR_GEN_AI_REQUEST_STREAM] = record.stream;
  if (record.usage) {
    attrs[ATTR_GEN_AI_USAGE_INPUT_TOKENS] = record.usage.prompt_tokens;
    attrs[ATTR_GEN_AI_USAGE_OUTPUT_TOKENS] = record.usage.completion_tokens;
  }
  if (record.ttftMs !== undefined) attrs[ATTR_GEN_AI_RESPONSE_TIME_TO_FIRST_CHUNK] = record.ttftMs / 1000;
  if (route) {
    attrs['switchyard.router'] = route.router;
    attrs['switchyard.rule'] = route.ruleId;
    attrs['switchyard.tier'] = route.tier;
    if (route.client) attrs['switchyard.client'] = route.client;
  }
  if (end.costUsd !== undefined) attrs['switchyard.cost_usd'] = end.costUsd;
  if (end.downgrade) attrs['switchyard.budget.downgrade'] = end.downgrade;
  if (record.aborted) attrs['switchyard.aborted'] = true;
  const status = record.status ?? 0;
  attrs[ATTR_HTTP_RESPONSE_STATUS_CODE] = status;
  if (record.errorCode !== undefined) attrs[ATTR_ERROR_TYPE] = record.errorCode;
  if (captureContent) {
    const messages = messagesOf(record.request);
    if (messages !== undefined) attrs[ATTR_GEN_AI_INPUT_MESSAGES] = messages;
  }
  span.setAttributes(attrs);
  if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR, ...(record.errorCode ? { message: record.errorCode } : {}) });
  span.end();
}

/** The request parameters the GenAI conventions name, from a chat, Responses (as chat) or Messages request. */
function requestParameters(request: unknown): Attributes {
  if (typeof request !== 'object' || request === null) return {};
  const r = request as Record<string, unknown>;
  const attrs: Attributes = {};
  const num = (key: string, ...fields: string[]) => {
    for (const f of fields) if (typeof r[f] === 'number') return void (attrs[key] = r[f] as number);
  };
  num(ATTR_GEN_AI_REQUEST_MAX_TOKENS, 'max_completion_tokens', 'max_tokens');
  num(ATTR_GEN_AI_REQUEST_TEMPERATURE, 'temperature');
  num(ATTR_GEN_AI_REQUEST_TOP_P, 'top_p');
  num(ATTR_GEN_AI_REQUEST_TOP_K, 'top_k');
  num(ATTR_GEN_AI_REQUEST_SEED, 'seed');
  num(ATTR_GEN_AI_REQUEST_FREQUENCY_PENALTY, 'frequency_penalty');
  num(ATTR_GEN_AI_REQUEST_PRESENCE_PENALTY, 'presence_penalty');
  const stop = r.stop_sequences ?? r.stop;
  if (typeof stop === 'string') attrs[ATTR_GEN_AI_REQUEST_STOP_SEQUENCES] = [stop];
  else if (Array.isArray(stop) && stop.every((s) => typeof s === 'string')) attrs[ATTR_GEN_AI_REQUEST_STOP_SEQUENCES] = stop as string[];
  return attrs;
}

/** The request's messages as JSON (only with `telemetry.tracing.capture_content: true`). */
function messagesOf(request: unknown): string | undefined {
  if (typeof request !== 'object' || request === null) return undefined;
  const r = request as Record<string, unknown>;
  const messages = r.system !== undefined ? { system: r.system, messages: r.messages } : r.messages;
  if (messages === undefined) return undefined;
  const json = JSON.stringify(messages);
  return json.length > MAX_CONTENT_CHARS ? `${json.slice(0, MAX_CONTENT_CHARS)}…` : json;
}
