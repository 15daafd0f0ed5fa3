import type { Role } from '../config/roles.js';
import type { ChatMessage } from '../client/chat-request.js';
import type { Finding } from '../review/parse-verdict.js';
import type { Task } from '../tasks/task.js';

// Each system prompt names its role on a line of its own (`Pipeline role: coder`): the gateway's demo provider
// answers in the role's format when it sees it, so the pipeline runs end to end with no API key.
const INTRO = (role: Role, what: string) => `You are the ${what} of a planner → coder → reviewer pipeline.\nPipeline role: ${role}`;

const VERDICT_FORMAT = [
  'End your answer with exactly one verdict block, JSON in a fence whose info string is `verdict`:',
  '```verdict',
  '{"verdict": "approve" | "request_changes", "findings": [{"severity": "blocker" | "major" | "minor", "file": "path (optional)", "message": "what is wrong and how to fix it"}]}',
  '```',
  'Approve only when nothing blocker or major is left; minor findings may accompany an approval.',
].join('\n');

const SYSTEM: Record<Role, string> = {
  planner: [
    INTRO('planner', 'planner'),
    'Write a short, concrete implementation plan in Markdown: the files to create or change, the steps in order, and the tests that prove it works.',
    'Do not write the code itself.',
  ].join('\n'),
  plan_reviewer: [
    INTRO('plan_reviewer', 'plan reviewer'),
    'Check the plan against the task: missing steps, wrong assumptions, risks, missing tests.',
    VERDICT_FORMAT,
  ].join('\n'),
  coder: [
    INTRO('coder', 'coder'),
    'Implement the plan. Give every file you create or change in full, each in its own fenced code block whose info string is the language and `path=` the file path relative to the project root, for example:',
    '```ts path=src/health.ts',
    '// the whole file',
    '```',
    'Paths are relative: never absolute, never containing "..". Keep explanations short.',
  ].join('\n'),
  reviewer: [
    INTRO('reviewer', 'code reviewer'),
    'Review the implementation against the task and the plan: correctness, edge cases, security, tests. Be specific: name the file and what to change.',
    VERDICT_FORMAT,
  ].join('\n'),
};

/** What a role's request is built from: the task and whatever earlier steps produced. */
export interface PromptInput {
  task: Task;
  plan?: string;
  /** Findings of the plan review the planner now answers. */
  planFindings?: readonly Finding[];
  /** The implementation being reviewed, or the coder's previous answer when it revises. */
  code?: string;
  /** Review findings the coder must address. */
  codeFindings?: readonly Finding[];
}

/** The messages of one role's request. */
export function roleMessages(role: Role, input: PromptInput): ChatMessage[] {
  const parts = [taskBlock(input.task)];
  if (input.plan !== undefined) parts.push(section(role === 'planner' ? 'Your previous plan' : 'Plan', input.plan));
  if (input.planFindings) parts.push(findingsBlock('The plan reviewer asked for these changes; revise the plan', input.planFindings));
  if (input.code !== undefined) parts.push(section(role === 'coder' ? 'Your previous implementation' : 'Implementation to review', input.code));
  if (input.codeFindings) parts.push(findingsBlock('The reviewer asked for these changes; give the corrected files in full', input.codeFindings));
  return [
    { role: 'system', content: SYSTEM[role] },
    { role: 'user', content: parts.join('\n\n') },
  ];
}

function taskBlock(task: Task): string {
  const lines = [`Task: ${task.goal}`, `Risk: ${task.risk}`, `Area: ${task.area}`];
  if (task.constraints.length > 0) lines.push('Constraints:', ...task.constraints.map((c) => `- ${c}`));
  const files = task.context.map((f) => section(`Context file ${f.name}`, f.text));
  return [lines.join('\n'), ...files].join('\n\n');
}

function findingsBlock(title: string, findings: readonly Finding[]): string {
  const lines = findings.length > 0 ? findings.map((f) => `- [${f.severity}]${f.file ? ` ${f.file}:` : ''} ${f.message}`) : ['- (no specific findings given)'];
  return `## ${title}\n${lines.join('\n')}`;
}

/** A titled block; the text goes in a fence longer than any backtick run inside it, so it cannot break out. */
function section(title: string, text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `## ${title}\n${fence}\n${text.trimEnd()}\n${fence}`;
}
