import type { AnthropicMessagesResponse } from '../../translate/anthropic-types.js';
import { anthropicToChatResponse } from '../../translate/anthropic-to-chat-response.js';
import { chatToAnthropicRequest } from '../../translate/chat-to-anthropic-request.js';
import { decodeUpstreamBody } from '../decode-upstream-body.js';
import { postUpstream, readUpstreamJson, upstreamStatusError } from '../http-client.js';
import type { CompletionResult, ProviderAdapter, ProviderCall } from '../types.js';
import { createAnthropicStreamDecoder } from './decode-stream.js';
import { anthropicMessagesUrl, encodeAnthropicHeaders } from './encode-request.js';
import { anthropicMessagesPassThrough } from './messages-pass-through.js';

/** Anthropic's native Messages API, serving the gateway's chat requests. */
export const anthropicAdapter: ProviderAdapter = {
  kind: 'anthropic',

  async complete(call: ProviderCall): Promise<CompletionResult> {
    const res = await send(call, false);
    const { value: message } = await readUpstreamJson<AnthropicMessagesResponse>(res, call.signal, call.deployment.provider.name, { field: 'content', missing: 'no message content' });
    return { completion: anthropicToChatResponse(message) };
  },

  async stream(call: ProviderCall) {
    const res = await send(call, true);
    return decodeUpstreamBody(res.body, call.signal, call.deployment.provider, createAnthropicStreamDecoder(call.deployment.provider.name));
  },

  messages: anthropicMessagesPassThrough,
};

async function send(call: ProviderCall, stream: boolean) {
  const { deployment } = call;
  const body = chatToAnthropicRequest(call.request, deployment);
  if (stream) body.stream = true;
  const res = await postUpstream({
    url: anthropicMessagesUrl(deployment.provider.baseUrl),
    headers: encodeAnthropicHeaders(deployment, call, stream),
    body: JSON.stringify(body),
    signal: call.signal,
    onHeaders: call.onHeaders,
  });
  if (res.statusCode >= 300) throw await upstreamStatusError(res, deployment.provider);
  return res;
}
