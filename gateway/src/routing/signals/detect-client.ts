import type { ClientName, TaskKind } from './types.js';

type HeaderGetter = (name: string) => string | undefined;

/** How far into a system prompt agents' identity lines are looked for (they open the prompt). */
const IDENTITY_SCAN = 4000;

const USER_AGENTS: ReadonlyArray<[RegExp, ClientName]> = [
  [/^opencode\//i, 'opencode'],
  [/roocode|roo-code|roo-cline/i, 'roo-code'],
  [/^cline\//i, 'cline'],
  [/^claude-cli\//i, 'claude-code'],
  [/continue/i, 'continue'],
  [/aider/i, 'aider'],
];

const ROO_MODE = /<slug>([a-z0-9-]{1,40})<\/slug>/;
const ROO_ROLE_MODES: ReadonlyArray<[string, string]> = [
  ['technical leader', 'architect'],
  ['knowledgeable technical assistant', 'ask'],
  ['expert software debugger', 'debug'],
  ['workflow orchestrator', 'orchestrator'],
  ['highly skilled software engineer', 'code'],
];
const CONTINUE_MODE = /You are in (agent|chat|plan) mode/;
const TITLE = /\btitle generator\b|\bgenerate a (?:short |brief |concise )?title\b|\bwrite a (?:\d+-\d+ word )?title\b/i;
const SUMMARY = /\bsummari[sz]e (?:this|the|our) (?:coding )?conversation\b|\bsummary of (?:the|this|our) conversation\b/i;

export interface ClientInfo {
  client: ClientName;
  mode: string;
}

/** The client and its mode from headers and prompt markers; `latestUser` is the last user message text. */
export function detectClient(header: HeaderGetter, system: string, latestUser: string, hasLitellmSession: boolean): ClientInfo {
  const ua = header('user-agent') ?? '';
  const head = system.length > IDENTITY_SCAN ? system.slice(0, IDENTITY_SCAN) : system;
  let client: ClientName = 'sdk';
  for (const [re, name] of USER_AGENTS) {
    if (re.test(ua)) {
      client = name;
      break;
    }
  }
  if (client === 'sdk') {
    if (header('x-title') === 'Roo Code' || head.includes('You are Roo,')) client = 'roo-code';
    else if (head.includes('You are Cline,') || hasLitellmSession) client = 'cline';
    else if (header('x-app') === 'cli' || head.includes('You are Claude Code')) client = 'claude-code';
    else if (CONTINUE_MODE.test(head)) client = 'continue';
  }
  return { client, mode: detectMode(client, head, latestUser) };
}

function detectMode(client: ClientName, head: string, latestUser: string): string {
  if (client === 'roo-code') {
    const slug = ROO_MODE.exec(latestUser);
    if (slug) return slug[1]!;
    for (const [marker, mode] of ROO_ROLE_MODES) if (head.includes(marker)) return mode;
    return '';
  }
  if (client === 'cline') {
    if (latestUser.includes('PLAN MODE')) return 'plan';
    if (latestUser.includes('ACT MODE')) return 'act';
    return '';
  }
  if (client === 'continue') return CONTINUE_MODE.exec(head)?.[1] ?? '';
  return '';
}

/** Title, summary or background call, or ordinary chat. */
export function detectTask(client: ClientName, system: string, instruction: string, tools: number, maxTokens: number | undefined): TaskKind {
  const head = system.length > IDENTITY_SCAN ? system.slice(0, IDENTITY_SCAN) : system;
  if (tools === 0 && (TITLE.test(head) || TITLE.test(instruction.slice(0, 500)))) return 'title';
  if (SUMMARY.test(head) || SUMMARY.test(instruction.slice(0, 500))) return 'summary';
  // Claude Code sends its helper calls (topic detection, command prefixes, …) without tools and with a small budget.
  if (client === 'claude-code' && tools === 0 && (maxTokens === undefined || maxTokens <= 4096)) return 'background';
  return 'chat';
}
