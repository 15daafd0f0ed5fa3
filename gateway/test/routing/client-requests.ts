/** Request bodies as each coding agent sends them (shapes from CLIENTS.md), in the gateway's chat form. */
import type { ChatRequest } from '../../src/core/chat-schema.js';

const tool = (name: string) => ({ type: 'function' as const, function: { name, description: `${name} tool`, parameters: { type: 'object', properties: { path: { type: 'string' } } } } });
const TOOLS = ['bash', 'read', 'write', 'edit', 'glob', 'grep', 'list', 'webfetch', 'todowrite', 'task'].map(tool);

export type Headers = Record<string, string>;
export interface Recorded {
  headers: Headers;
  body: ChatRequest;
}

/** OpenCode's first call of a session: a title for the thread, no tools. */
export const opencodeTitle: Recorded = {
  headers: { 'user-agent': 'opencode/1.18.33 ai-sdk/provider-utils/4.0.23 runtime/bun/1.3.14', 'x-session-id': 'ses_1' },
  body: {
    model: 'auto',
    max_tokens: 32000,
    stream: true,
    messages: [
      { role: 'system', content: 'You are a title generator. You output ONLY a thread title. Nothing else.' },
      { role: 'user', content: 'Generate a title for this conversation:\n' },
      { role: 'user', content: 'add a --verbose flag to the CLI' },
    ],
  },
};

/** OpenCode's agent turn, then its tool-result continuation. */
export const opencodeAgent: Recorded = {
  headers: opencodeTitle.headers,
  body: {
    model: 'auto',
    max_tokens: 32000,
    stream: true,
    stream_options: { include_usage: true },
    tool_choice: 'auto',
    tools: TOOLS,
    messages: [
      { role: 'system', content: 'You are opencode, an interactive CLI tool that helps users with software engineering tasks.' },
      { role: 'user', content: 'add a --verbose flag to the CLI' },
    ],
  },
};

export const opencodeToolResult: Recorded = {
  headers: opencodeTitle.headers,
  body: {
    ...opencodeAgent.body,
    messages: [
      ...opencodeAgent.body.messages,
      { role: 'assistant', content: '', tool_calls: [{ id: 'call_abc', type: 'function', function: { name: 'bash', arguments: '{"command":"ls"}' } }] },
      { role: 'tool', tool_call_id: 'call_abc', content: 'TOOL_OK\n' },
    ],
  },
};

const ROO_HEADERS: Headers = { 'user-agent': 'RooCode/3.30.0', 'x-title': 'Roo Code', 'http-referer': 'https://github.com/RooVetGit/Roo-Cline' };
const rooEnv = (slug: string) => `<environment_details>\n# VSCode Visible Files\nsrc/app.ts\n\n# Current Mode\n<slug>${slug}</slug>\n<name>${slug}</name>\n</environment_details>`;

/** Roo Code in architect mode: the task wrapped in <task>, environment details appended. */
export const rooArchitect: Recorded = {
  headers: ROO_HEADERS,
  body: {
    model: 'auto',
    stream: true,
    temperature: 0,
    tools: TOOLS.slice(0, 5),
    messages: [
      { role: 'system', content: 'You are Roo, an experienced technical leader who is inquisitive and an excellent planner.\n\n====\n\nTOOL USE ...' },
      { role: 'user', content: [{ type: 'text', text: '<task>\nPlan how to split the billing module into services\n</task>' }, { type: 'text', text: rooEnv('architect') }] },
    ],
  },
};

/** Roo Code (XML tool protocol) relaying a tool's output as a user message. */
export const rooToolResult: Recorded = {
  headers: ROO_HEADERS,
  body: {
    ...rooArchitect.body,
    messages: [
      ...rooArchitect.body.messages,
      { role: 'assistant', content: '<read_file><path>src/billing.ts</path></read_file>' },
      { role: 'user', content: [{ type: 'text', text: "[read_file for 'src/billing.ts'] Result:\nexport function bill() {}" }, { type: 'text', text: rooEnv('code') }] },
    ],
  },
};

/** Cline through its LiteLLM provider, in plan mode. */
export const clinePlan: Recorded = {
  headers: { 'user-agent': 'Cline/3.40.0' },
  body: {
    model: 'auto',
    stream: true,
    drop_params: true,
    litellm_session_id: 'cline-01J0000000000000000000',
    tools: TOOLS,
    messages: [
      { role: 'system', content: 'You are Cline, a highly skilled software engineer with extensive knowledge in many programming languages.' },
      { role: 'user', content: '<task>\nwhy does the login test fail?\n</task>\n<environment_details>\n# Current Mode\nPLAN MODE\n</environment_details>' },
    ],
  },
};

/** Claude Code: a background helper call (no tools, small budget) after Anthropic → chat translation. */
export const claudeCodeBackground: Recorded = {
  headers: { 'user-agent': 'claude-cli/2.1.330 (external, sdk-cli)', 'x-app': 'cli', 'anthropic-version': '2023-06-01' },
  body: {
    model: 'auto',
    max_tokens: 512,
    messages: [
      { role: 'system', content: "Analyze if this message indicates a new conversation topic. Format your response as a JSON object with 'isNewTopic' and 'title'." },
      { role: 'user', content: 'fix the flaky test in auth.spec.ts' },
    ],
  },
};

/** Claude Code: the main agent call with a system reminder block in front of what the user typed. */
export const claudeCodeAgent: Recorded = {
  headers: claudeCodeBackground.headers,
  body: {
    model: 'auto',
    max_tokens: 128000,
    stream: true,
    tools: TOOLS,
    messages: [
      { role: 'system', content: 'You are Claude Code, Anthropic\'s official CLI for Claude.' },
      { role: 'user', content: [{ type: 'text', text: '<system-reminder>\nAs you answer, use the todo tool.\n</system-reminder>' }, { type: 'text', text: 'fix the flaky test in auth.spec.ts' }] },
    ],
  },
};

/** Continue in agent mode (openai SDK, so no distinctive user agent). */
export const continueAgent: Recorded = {
  headers: { 'user-agent': 'OpenAI/JS 5.0.0' },
  body: {
    model: 'auto',
    stream: true,
    tools: TOOLS,
    messages: [
      { role: 'system', content: '<important_rules>\n  You are in agent mode.\n\n  Always include the language and file name in the info string when you write code blocks.\n</important_rules>' },
      { role: 'user', content: 'rename foo to bar' },
    ],
  },
};
