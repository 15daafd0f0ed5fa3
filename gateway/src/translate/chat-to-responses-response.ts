import type { ChatCompletion } from '../core/chat-response.js';
import { chatUsageToResponsesUsage } from './chat-usage-to-responses-usage.js';
import { functionCallItem, messageItem, outputItemId, reasoningItem, reasoningOf, responseStatusFor } from './responses-output-items.js';
import type { OutputItem, ResponseEcho, ResponseObject } from './responses-types.js';

/** Identity of one response: its `resp_…` id and creation time (unix seconds). */
export interface ResponseIdentity {
  id: string;
  createdAt: number;
}

/** A chat completion → a Responses response object: reasoning, then the message, then one item per tool call. */
export function chatToResponsesResponse(completion: ChatCompletion, echo: ResponseEcho, identity: ResponseIdentity): ResponseObject {
  const choice = completion.choices[0];
  const message = choice?.message;
  const { status, incomplete_details } = responseStatusFor(choice?.finish_reason);
  const output: OutputItem[] = [];
  const reasoning = message ? reasoningOf(message) : undefined;
  if (reasoning !== undefined) output.push(reasoningItem(outputItemId(identity.id, 'rs', output.length), reasoning));
  const text = typeof message?.content === 'string' ? message.content : '';
  const calls = message?.tool_calls ?? [];
  // Always answer something: a reply with neither text nor tool calls is an empty message, as in the stream.
  if (text !== '' || calls.length === 0) {
    output.push(messageItem(outputItemId(identity.id, 'msg', output.length), text, status === 'completed' ? 'completed' : 'incomplete'));
  }
  for (const call of calls) {
    output.push(functionCallItem(outputItemId(identity.id, 'fc', output.length), call.id, call.function.name, call.function.arguments, 'completed'));
  }
  return responseObject(echo, identity, { status, incomplete_details, output, usage: completion.usage ? chatUsageToResponsesUsage(completion.usage) : null });
}

/** The response envelope around an output; shared by the non-streamed answer and the stream's snapshots. */
export function responseObject(
  echo: ResponseEcho,
  identity: ResponseIdentity,
  state: Pick<ResponseObject, 'status' | 'incomplete_details' | 'output' | 'usage'> & { error?: ResponseObject['error'] },
): ResponseObject {
  return {
    id: identity.id,
    object: 'response',
    created_at: identity.createdAt,
    status: state.status,
    error: state.error ?? null,
    incomplete_details: state.incomplete_details,
    ...echo,
    output: state.output,
    previous_response_id: null,
    truncation: 'disabled',
    usage: state.usage,
  };
}
