import type { ChatCompletion } from '../../core/chat-response.js';
import { GatewayError } from '../../core/errors.js';
import { decodeUpstreamBody } from '../decode-upstream-body.js';
import { connectionError, postUpstream, upstreamStatusError } from '../http-client.js';
import type { CompletionResult, ProviderAdapter, ProviderCall } from '../types.js';
import { createOpenAIStreamDecoder } from './decode-stream.js';
import { encodeOpenAIHeaders, encodeOpenAIRequest } from './encode-request.js';

/** Any OpenAI-compatible upstream: OpenRouter, OpenAI, Ollama's /v1, vLLM, LM Studio, a LiteLLM proxy … */
export const openaiCompatibleAdapter: ProviderAdapter = {
  kind: 'openai-compatible',

  async complete(call: ProviderCall): Promise<CompletionResult> {
    const res = await send(call);
    let raw: string;
    try {
      raw = await res.body.text();
    } catch (err) {
      throw connectionError(err, call.signal);
    }
    let completion: ChatCompletion;
    try {
      completion = JSON.parse(raw);
    } catch {
      throw new GatewayError('upstream', `Upstream ${call.deployment.provider.name} returned a body that is not JSON`, { code: 'upstream_bad_response' });
    }
    if (!Array.isArray(completion?.choices)) {
      throw new GatewayError('upstream', `Upstream ${call.deployment.provider.name} returned no choices`, { code: 'upstream_bad_response' });
    }
    return { completion, raw };
  },

  async stream(call: ProviderCall) {
    const res = await send(call);
    return decodeUpstreamBody(res.body, call.signal, createOpenAIStreamDecoder(call.deployment.provider.name));
  },
};

async function send(call: ProviderCall) {
  const { deployment } = call;
  const res = await postUpstream({
    url: `${deployment.provider.baseUrl}/chat/completions`,
    headers: encodeOpenAIHeaders(deployment),
    body: JSON.stringify(encodeOpenAIRequest(call.request, deployment)),
    signal: call.signal,
  });
  if (res.statusCode >= 300) throw await upstreamStatusError(res, deployment.provider.name);
  return res;
}
