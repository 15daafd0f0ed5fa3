import type { ChatRequest } from '../../core/chat-schema.js';
import type { Deployment } from '../../config/types.js';

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

/** Headers for an OpenAI-compatible upstream: its own key, never the client's. */
export function encodeOpenAIHeaders(deployment: Deployment): Record<string, string> {
  const { provider } = deployment;
  const headers: Record<string, string> = { 'content-type': 'application/json', ...provider.headers };
  if (provider.apiKey) headers.authorization = `Bearer ${provider.apiKey}`;
  return headers;
}
