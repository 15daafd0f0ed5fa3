import type { ChatCompletion } from '../../core/chat-response.js';
import { decodeUpstreamBody } from '../decode-upstream-body.js';
import { postUpstream, readUpstreamJson, upstreamStatusError } from '../http-client.js';
import type { CompletionResult, ProviderAdapter, ProviderCall } from '../types.js';
import { createOpenAIStreamDecoder } from './decode-stream.js';
import { encodeOpenAIBody, encodeOpenAIHeaders } from './encode-request.js';

/** Any OpenAI-compatible upstream: OpenRouter, OpenAI, Ollama's /v1, vLLM, LM Studio, a LiteLLM proxy … */
export const openaiCompatibleAdapter: ProviderAdapter = {
  kind: 'openai-compatible',

  async complete(call: ProviderCall): Promise<CompletionResult> {
    const res = await send(call);
    const { raw, value } = await readUpstreamJson<ChatCompletion>(res, call.signal, call.deployment.provider.name, { field: 'choices', missing: 'no choices' });
    return { completion: value, raw };
  },

  async stream(call: ProviderCall) {
    const res = await send(call);
    return decodeUpstreamBody(res.body, call.signal, call.deployment.provider, createOpenAIStreamDecoder(call.deployment.provider.name));
  },
};

async function send(call: ProviderCall) {
  const { deployment } = call;
  const res = await postUpstream({
    url: `${deployment.provider.baseUrl}/chat/completions`,
    headers: encodeOpenAIHeaders(deployment),
    body: encodeOpenAIBody(call.request, deployment, call.sourceText, call.sourceBytes),
    signal: call.signal,
    onHeaders: call.onHeaders,
  });
  if (res.statusCode >= 300) throw await upstreamStatusError(res, deployment.provider);
  return res;
}
