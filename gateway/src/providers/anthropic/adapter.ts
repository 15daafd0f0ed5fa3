import { GatewayError } from '../../core/errors.js';
import type { AnthropicMessagesResponse } from '../../translate/anthropic-types.js';
import { anthropicToChatResponse } from '../../translate/anthropic-to-chat-response.js';
import { chatToAnthropicRequest } from '../../translate/chat-to-anthropic-request.js';
import { decodeUpstreamBody } from '../decode-upstream-body.js';
import { connectionError, postUpstream, upstreamStatusError } from '../http-client.js';
import type { CompletionResult, ProviderAdapter, ProviderCall } from '../types.js';
import { createAnthropicStreamDecoder } from './decode-stream.js';
import { anthropicMessagesUrl, encodeAnthropicHeaders } from './encode-request.js';
import { anthropicMessagesPassThrough } from './messages-pass-through.js';

/** Anthropic's native Messages API, serving the gateway's chat requests. */
export const anthropicAdapter: ProviderAdapter = {
  kind: 'anthropic',

  async complete(call: ProviderCall): Promise<CompletionResult> {
    const res = await send(call, false);
    let raw: string;
    try {
      raw = await res.body.text();
    } catch (err) {
      throw connectionError(err, call.signal);
    }
    const name = call.deployment.provider.name;
    let message: AnthropicMessagesResponse;
    try {
      message = JSON.parse(raw);
    } catch {
      throw new GatewayError('upstream', `Upstream ${name} returned a body that is not JSON`, { code: 'upstream_bad_response' });
    }
    if (!Array.isArray(message?.content)) {
      throw new GatewayError('upstream', `Upstream ${name} returned no message content`, { code: 'upstream_bad_response' });
    }
    return { completion: anthropicToChatResponse(message) };
  },

  async stream(call: ProviderCall) {
    const res = await send(call, true);
    return decodeUpstreamBody(res.body, call.signal, createAnthropicStreamDecoder(call.deployment.provider.name));
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
  });
  if (res.statusCode >= 300) throw await upstreamStatusError(res, deployment.provider.name);
  return res;
}
