import type { ChatRequest } from '../../core/chat-schema.js';
import type { Deployment } from '../../config/types.js';
import { toolsJson } from '../../core/tools-json.js';

/** Body fields that only steer a gateway (LiteLLM's or ours) and must never reach an upstream. */
const GATEWAY_ONLY_FIELDS = ['api_base', 'base_url', 'api_key', 'api_version', 'drop_params', 'litellm_session_id', 'litellm_metadata', 'mock_response', 'fallbacks', 'num_retries', 'custom_llm_provider'];

/** Internal request → the body an OpenAI-compatible upstream receives. Streams always ask for usage. */
export function encodeOpenAIRequest(request: ChatRequest, deployment: Deployment): Record<string, unknown> {
  const body: Record<string, unknown> = { ...deployment.extraBody, ...request, model: deployment.upstreamModel };
  for (const field of GATEWAY_ONLY_FIELDS) if (field in body) delete body[field];
  if (request.stream) body.stream_options = { ...request.stream_options, include_usage: true };
  if (deployment.provider.reportCost) body.usage = { include: true };
  return body;
}

/**
 * The JSON text of an upstream body. Its tool definitions, often the larger part of an agent's request, are
 * written with toolsJson, which the token estimate and the routing signals already asked for: the same text is
 * not serialised twice. They go last; the order of an object's members carries no meaning in JSON.
 */
export function encodeOpenAIBody(request: ChatRequest, deployment: Deployment): string {
  const body = encodeOpenAIRequest(request, deployment);
  const tools = body.tools;
  if (!Array.isArray(tools) || tools.length === 0) return JSON.stringify(body);
  body.tools = undefined; // JSON.stringify leaves it out
  const json = JSON.stringify(body); // never `{}`: `model` is always there
  return `${json.slice(0, -1)},"tools":${toolsJson(tools)}}`;
}

/** Headers for an OpenAI-compatible upstream: its own key, never the client's. */
export function encodeOpenAIHeaders(deployment: Deployment): Record<string, string> {
  const { provider } = deployment;
  const headers: Record<string, string> = { 'content-type': 'application/json', ...provider.headers };
  if (provider.apiKey) headers.authorization = `Bearer ${provider.apiKey}`;
  return headers;
}
