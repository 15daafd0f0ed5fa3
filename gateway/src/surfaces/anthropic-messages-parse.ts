import type { z } from 'zod';
import { GatewayError } from '../core/errors.js';
import {
  countTokensRequestSchema,
  messagesRequestSchema,
  type CountTokensRequest,
  type MessagesMessage,
  type MessagesRequest,
} from '../translate/messages-request-schema.js';
import { formatPath } from './parse-chat-request.js';

/** Validates a `/v1/messages` body; a violation is a 400 whose message names the path (`messages[1].content[0].type`). */
export function parseMessagesRequest(body: unknown): MessagesRequest {
  const request = parseWith(messagesRequestSchema, body);
  checkMessageOrder(request.messages);
  return request;
}

/** Validates a `/v1/messages/count_tokens` body (no max_tokens needed). */
export function parseCountTokensRequest(body: unknown): CountTokensRequest {
  const request = parseWith(countTokensRequestSchema, body);
  checkMessageOrder(request.messages);
  return request;
}

function parseWith<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalid('Request body must be a JSON object');
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const { path, message } = explain(result.error.issues[0]!, [], body);
  throw invalid(`${formatPath(path) || '(body)'}: ${message}`, formatPath(path));
}

type Issue = z.core.$ZodIssue;

// A union issue hides the real problem in one branch: the one that got past the type check.
function explain(issue: Issue, prefix: PropertyKey[], body: unknown): { path: PropertyKey[]; message: string } {
  const path = [...prefix, ...issue.path];
  if (issue.code === 'invalid_union') {
    if ('note' in issue && issue.note === 'No matching discriminator') {
      const value = valueAt(body, path);
      if (path[path.length - 1] === 'type' && path.includes('content')) {
        return { path, message: value === undefined ? 'content block has no type' : `unknown content block type ${JSON.stringify(value)}` };
      }
      return { path, message: value === undefined ? 'Field required' : `unsupported type ${JSON.stringify(value)}` };
    }
    const branch = issue.errors.find((errs) => !(errs.length === 1 && errs[0]!.code === 'invalid_type' && errs[0]!.path.length === 0));
    if (branch?.[0]) return explain(branch[0], path, body);
    const expected = issue.errors.map((errs) => (errs[0] as { expected?: string } | undefined)?.expected).filter(Boolean);
    if (expected.length > 0) return { path, message: `expected ${expected.join(' or ')}` };
  }
  if (issue.code === 'invalid_type' && valueAt(body, path) === undefined) return { path, message: 'Field required' };
  return { path, message: issue.message };
}

function valueAt(body: unknown, path: readonly PropertyKey[]): unknown {
  let value = body;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/**
 * Role rules Anthropic enforces and OpenAI-compatible upstreams depend on: tool_use and thinking only in
 * assistant turns, tool_result only in user turns and only answering a tool_use of the previous assistant turn,
 * and system entries holding text only.
 */
export function checkMessageOrder(messages: readonly MessagesMessage[]): void {
  let lastAssistantToolIds = new Set<string>();
  messages.forEach((message, i) => {
    if (typeof message.content === 'string') {
      if (message.role === 'assistant') lastAssistantToolIds = new Set();
      return;
    }
    const toolIds = new Set<string>();
    message.content.forEach((block, j) => {
      const at = `messages[${i}].content[${j}]`;
      if (message.role === 'system' && block.type !== 'text') throw invalid(`${at}: system messages may only hold text blocks`, at);
      if (block.type === 'tool_use' || block.type === 'thinking' || block.type === 'redacted_thinking') {
        if (message.role !== 'assistant') throw invalid(`${at}: ${block.type} blocks belong in assistant messages`, at);
        if (block.type === 'tool_use') toolIds.add(block.id);
      }
      if (block.type === 'tool_result') {
        if (message.role !== 'user') throw invalid(`${at}: tool_result blocks belong in user messages`, at);
        if (!lastAssistantToolIds.has(block.tool_use_id)) {
          throw invalid(`${at}.tool_use_id: no tool_use with id ${JSON.stringify(block.tool_use_id)} in the previous assistant message`, `${at}.tool_use_id`);
        }
      }
    });
    if (message.role === 'assistant') lastAssistantToolIds = toolIds;
  });
}

function invalid(message: string, param?: string): GatewayError {
  return new GatewayError('invalid_request', message, { code: 'invalid_request_body', param: param ?? null });
}
