import type { ChatRequest, ToolChoice, ToolDefinition } from '../core/chat-schema.js';
import { GatewayError } from '../core/errors.js';
import type { FunctionTool, ResponsesRequest } from './responses-request-schema.js';
import { responsesInputToChatMessages } from './responses-input-to-chat-messages.js';

export interface ChatTranslation {
  request: ChatRequest;
  /** What was left out on the way (hosted tools the gateway cannot run …), for a warning header. */
  warnings: string[];
}

/** Fields that need server-side state the gateway does not keep; each is refused with a 400 that says so. */
const STATEFUL_FIELDS = ['previous_response_id', 'conversation', 'prompt'] as const;

/** A Responses request → the internal chat request. Throws a 400 GatewayError for what cannot be served statelessly. */
export function responsesToChatRequest(req: ResponsesRequest): ChatTranslation {
  for (const field of STATEFUL_FIELDS) {
    if (req[field] != null) {
      throw new GatewayError(
        'invalid_request',
        `${field} is not supported: Switchyard is stateless and keeps no stored responses or conversations. Send the whole conversation in \`input\` (as with store:false).`,
        { code: 'unsupported_parameter', param: field },
      );
    }
  }
  if (req.background === true) {
    throw new GatewayError('invalid_request', 'background responses are not supported: Switchyard keeps no stored responses', { code: 'unsupported_parameter', param: 'background' });
  }

  const messages = responsesInputToChatMessages(req.input, req.instructions);
  if (!messages.some((m) => m.role !== 'system')) {
    throw new GatewayError('invalid_request', 'input must contain at least one message or function call output', { code: 'invalid_request_body', param: 'input' });
  }
  const request: ChatRequest = { model: req.model, messages };
  const warnings: string[] = [];

  const functions: ToolDefinition[] = [];
  const dropped: string[] = [];
  for (const tool of req.tools ?? []) {
    if (tool.type === 'function') functions.push(toChatTool(tool as FunctionTool));
    else dropped.push(tool.type);
  }
  if (dropped.length > 0) warnings.push(`dropped unsupported hosted tools: ${[...new Set(dropped)].join(', ')}`);
  if (functions.length > 0) {
    request.tools = functions;
    const choice = toChatToolChoice(req.tool_choice);
    if (choice !== undefined) request.tool_choice = choice;
    if (req.parallel_tool_calls != null) request.parallel_tool_calls = req.parallel_tool_calls;
  }

  if (req.reasoning?.effort) request.reasoning_effort = req.reasoning.effort;
  if (req.max_output_tokens != null) request.max_tokens = req.max_output_tokens;
  if (req.temperature != null) request.temperature = req.temperature;
  if (req.top_p != null) request.top_p = req.top_p;
  if (req.user) request.user = req.user;
  if (req.prompt_cache_key) request.prompt_cache_key = req.prompt_cache_key;
  const format = req.text?.format;
  if (format?.type === 'json_schema') {
    request.response_format = {
      type: 'json_schema',
      json_schema: {
        name: format.name ?? 'response',
        schema: format.schema ?? {},
        ...(format.strict != null ? { strict: format.strict } : {}),
        ...(format.description ? { description: format.description } : {}),
      },
    };
  } else if (format?.type === 'json_object') {
    request.response_format = { type: 'json_object' };
  }
  if (req.stream) {
    request.stream = true;
    request.stream_options = { include_usage: true };
  }
  return { request, warnings };
}

function toChatTool(tool: FunctionTool): ToolDefinition {
  return {
    type: 'function',
    function: {
      name: tool.name,
      ...(tool.description ? { description: tool.description } : {}),
      ...(tool.parameters ? { parameters: tool.parameters } : {}),
      ...(tool.strict != null ? { strict: tool.strict } : {}),
    },
  };
}

/** Responses tool_choice → chat; a choice of a hosted tool (dropped) falls back to the upstream's default. */
function toChatToolChoice(choice: ResponsesRequest['tool_choice']): ToolChoice | undefined {
  if (choice == null) return undefined;
  if (typeof choice === 'string') return choice;
  if (choice.type === 'function') {
    if (!choice.name) throw new GatewayError('invalid_request', 'tool_choice.name is required for a function tool choice', { code: 'invalid_request_body', param: 'tool_choice.name' });
    return { type: 'function', function: { name: choice.name } };
  }
  if (choice.type === 'allowed_tools' && (choice.mode === 'auto' || choice.mode === 'required')) return choice.mode;
  return undefined;
}
