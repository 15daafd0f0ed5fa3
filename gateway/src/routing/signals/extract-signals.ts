import type { ChatMessage, ChatRequest } from '../../core/chat-schema.js';
import { toolsJson } from '../../core/tools-json.js';
import { complexityCues, complexityScore } from './complexity.js';
import { detectClient, detectTask } from './detect-client.js';
import { contentChars, contentText, hasImage, instructionText, isToolResultText } from './message-text.js';
import type { Signals, TurnKind } from './types.js';

type HeaderGetter = (name: string) => string | undefined;

/** The instruction kept in signals for `matches` rules. */
const INSTRUCTION_CAP = 4000;
/** Characters per token for the context estimate: cheap and close enough to pick a context window. */
const CHARS_PER_TOKEN = 4;

export interface SignalInput {
  request: ChatRequest;
  header: HeaderGetter;
  /** A tier named in the model alias (`auto:premium`). */
  aliasTier?: string;
}

/** Signals of one request, computed in one pass over the messages (no JSON re-parsing, regexes precompiled). */
export function extractSignals({ request, header, aliasTier }: SignalInput): Signals {
  const messages = request.messages;
  let chars = 0;
  let images = false;
  let depth = 0;
  let system = '';
  let lastUser = -1;
  let lastInstruction = -1;
  let prevUser = false;
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i]!;
    chars += contentChars(m);
    if (!images && hasImage(m)) images = true;
    if (m.role === 'system' || m.role === 'developer') {
      if (system === '') system = contentText(m);
    } else if (m.role === 'user') {
      lastUser = i;
      if (!isToolResultText(firstText(m))) {
        // Consecutive user messages (OpenCode splits one ask in two) are one turn.
        if (!prevUser) depth++;
        lastInstruction = i;
      }
      prevUser = true;
      continue;
    }
    if (m.role !== 'system' && m.role !== 'developer') prevUser = false;
  }
  const tools = request.tools?.length ?? 0;
  if (tools > 0) chars += toolsJson(request.tools!).length;

  const lastUserText = lastUser === -1 ? '' : contentText(messages[lastUser]!);
  const instruction = lastInstruction === -1 ? '' : instructionText(lastInstruction === lastUser ? lastUserText : contentText(messages[lastInstruction]!));
  const cues = complexityCues(instruction);
  const { client, mode } = detectClient(header, system, lastUserText, typeof request.litellm_session_id === 'string');
  const maxTokens = request.max_tokens ?? request.max_completion_tokens ?? undefined;
  return {
    client,
    mode,
    task: detectTask(client, system, instruction, tools, maxTokens),
    turn: turnKind(messages, lastUser, lastInstruction, depth),
    depth,
    messages: messages.length,
    complexity: complexityScore(instruction.length, cues),
    cues,
    instruction_chars: instruction.length,
    context_tokens: Math.ceil(chars / CHARS_PER_TOKEN),
    images,
    tools,
    json_mode: isJsonMode(request.response_format),
    hint_tier: (header('x-switchyard-tier') ?? aliasTier ?? '').trim().toLowerCase(),
    role: hintHeader(header, 'x-switchyard-role'),
    risk: hintHeader(header, 'x-switchyard-risk'),
    area: hintHeader(header, 'x-switchyard-area'),
    user_agent: header('user-agent') ?? '',
    instruction: instruction.length > INSTRUCTION_CAP ? instruction.slice(0, INSTRUCTION_CAP) : instruction,
  };
}

/** A routing hint header, trimmed and lower-cased ('' when absent). */
function hintHeader(header: HeaderGetter, name: string): string {
  return (header(name) ?? '').trim().toLowerCase();
}

/** The first text of a message, enough to recognise an XML tool result without joining every part. */
function firstText(m: ChatMessage): string {
  if (typeof m.content === 'string') return m.content;
  if (!Array.isArray(m.content)) return '';
  for (const part of m.content) if (part.type === 'text' && typeof part.text === 'string') return part.text;
  return '';
}

function turnKind(messages: readonly ChatMessage[], lastUser: number, lastInstruction: number, depth: number): TurnKind {
  const last = messages[messages.length - 1];
  if (last && (last.role === 'tool' || last.role === 'function')) return 'tool_result';
  if (lastUser !== -1 && lastUser !== lastInstruction) return 'tool_result';
  return depth <= 1 ? 'first' : 'new_instruction';
}

function isJsonMode(format: unknown): boolean {
  if (typeof format !== 'object' || format === null) return false;
  const type = (format as { type?: unknown }).type;
  return type === 'json_object' || type === 'json_schema';
}
