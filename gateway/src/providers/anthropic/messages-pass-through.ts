import type { Usage } from '../../core/chat-response.js';
import { GatewayError } from '../../core/errors.js';
import type { AnthropicUsage } from '../../translate/anthropic-types.js';
import { anthropicUsageToChatUsage } from '../../translate/anthropic-usage-to-chat-usage.js';
import { mapAnthropicErrorType } from '../../translate/map-anthropic-error-type.js';
import { decodeUpstreamBody } from '../decode-upstream-body.js';
import { postUpstream, readUpstreamJson, upstreamStatusError } from '../http-client.js';
import type { StreamDecoder } from '../stream-decoder.js';
import type { MessagesCall, MessagesStreamEvent, NativeMessages } from '../types.js';
import { anthropicMessagesUrl, encodeAnthropicHeaders } from './encode-request.js';

/** `/v1/messages` bodies sent to Anthropic as they came: only `model` changes, to the upstream model id. */
export const anthropicMessagesPassThrough: NativeMessages = {
  async complete(call) {
    const res = await send(call, false);
    const { raw, value: message } = await readUpstreamJson<{ usage?: AnthropicUsage }>(res, call.signal, call.deployment.provider.name, { field: 'content', missing: 'no message content' });
    return { raw, usage: anthropicUsageToChatUsage(message.usage ?? {}) };
  },

  async stream(call) {
    const res = await send(call, true);
    return decodeUpstreamBody(res.body, call.signal, call.deployment.provider, createPassThroughDecoder(call.deployment.provider.name));
  },
};

async function send(call: MessagesCall, stream: boolean) {
  const { deployment } = call;
  const headers = encodeAnthropicHeaders(deployment, call, stream);
  // the body is the client's, written against the API version it named
  const version = call.forwardHeaders?.['anthropic-version'];
  if (version) headers['anthropic-version'] = version;
  const res = await postUpstream({
    url: anthropicMessagesUrl(deployment.provider.baseUrl),
    headers,
    body: JSON.stringify({ ...call.body, model: deployment.upstreamModel }),
    signal: call.signal,
    onHeaders: call.onHeaders,
  });
  if (res.statusCode >= 300) throw await upstreamStatusError(res, deployment.provider);
  return res;
}

const NONE: readonly MessagesStreamEvent[] = [];

/**
 * Relays events verbatim; parses only the ones that carry usage or an error. An `error` event or a stream cut
 * before `message_stop` throws, so the surface can tell the client instead of ending as if complete.
 */
export function createPassThroughDecoder(providerName: string): StreamDecoder<MessagesStreamEvent> {
  let finished = false;
  const usage: AnthropicUsage = {};
  const parse = (data: string): Record<string, any> => {
    try {
      return JSON.parse(data);
    } catch {
      throw new GatewayError('upstream', `Upstream ${providerName} sent a malformed stream event`, { code: 'upstream_stream_error' });
    }
  };
  const withUsage = (event: string, data: string, reported: AnthropicUsage | undefined): MessagesStreamEvent[] => {
    if (reported) for (const [key, value] of Object.entries(reported)) if (typeof value === 'number') usage[key] = value;
    const total: Usage = anthropicUsageToChatUsage(usage);
    return [{ event, data, usage: total }];
  };
  return {
    event({ event, data }) {
      if (finished || data === '') return NONE;
      const name = event ?? String(parse(data).type);
      switch (name) {
        case 'message_start':
          return withUsage(name, data, parse(data).message?.usage);
        case 'message_delta':
          return withUsage(name, data, parse(data).usage);
        case 'message_stop':
          finished = true;
          return [{ event: name, data }];
        case 'error': {
          const error = parse(data).error ?? {};
          throw new GatewayError(mapAnthropicErrorType(error.type), `Upstream ${providerName} stream error (${error.type ?? 'unknown'}): ${error.message ?? 'no message'}`, {
            code: 'upstream_stream_error',
          });
        }
        default:
          return [{ event: name, data }];
      }
    },
    end() {
      if (!finished) throw new GatewayError('upstream', `Upstream ${providerName} stream ended before message_stop`, { code: 'upstream_stream_error' });
    },
  };
}
