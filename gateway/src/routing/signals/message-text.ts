import type { ChatMessage } from '../../core/chat-schema.js';

/** The text of a message's content: the string, or its text parts joined. */
export function contentText(message: ChatMessage): string {
  const content = message.content;
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  let out = '';
  for (const part of content) {
    if (part.type !== 'text' || typeof part.text !== 'string') continue;
    // Claude Code interleaves <system-reminder> blocks with what the user typed.
    if (part.text.startsWith('<system-reminder>')) continue;
    out = out === '' ? part.text : `${out}\n${part.text}`;
  }
  return out;
}

/** Characters a message contributes to the prompt, counted without building strings. */
export function contentChars(message: ChatMessage): number {
  let n = 0;
  const content = message.content;
  if (typeof content === 'string') n += content.length;
  else if (Array.isArray(content)) {
    for (const part of content) if (part.type === 'text' && typeof part.text === 'string') n += part.text.length;
  }
  if (message.role === 'assistant') {
    if (message.reasoning_content) n += message.reasoning_content.length;
    for (const call of message.tool_calls ?? []) n += call.function.name.length + call.function.arguments.length;
  }
  return n;
}

/** True when a message carries an image part. */
export function hasImage(message: ChatMessage): boolean {
  const content = message.content;
  if (!Array.isArray(content)) return false;
  for (const part of content) if (part.type === 'image_url' || part.type === 'image' || part.type === 'input_image') return true;
  return false;
}

const ENV_DETAILS = '<environment_details>';
const TASK_OPEN = '<task>';
const TASK_CLOSE = '</task>';
/** Roo Code and Cline (XML tool protocol) report a tool's output as a user message starting `[tool …] Result:`. */
const XML_TOOL_RESULT = /^\[[^\]\n]{1,200}\] Result:/;

/** True for a user message that only relays a tool's output (Roo Code / Cline XML tool protocol). */
export function isToolResultText(text: string): boolean {
  return text.charCodeAt(0) === 91 /* [ */ && XML_TOOL_RESULT.test(text);
}

/** What the user asked, without the agent's boilerplate (`<environment_details>`, the `<task>` wrapper). */
export function instructionText(text: string): string {
  let out = text;
  const env = out.indexOf(ENV_DETAILS);
  if (env !== -1) out = out.slice(0, env);
  const open = out.indexOf(TASK_OPEN);
  if (open !== -1) {
    const close = out.indexOf(TASK_CLOSE, open);
    out = out.slice(open + TASK_OPEN.length, close === -1 ? undefined : close);
  }
  return out.trim();
}
