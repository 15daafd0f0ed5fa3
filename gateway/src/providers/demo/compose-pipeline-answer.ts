import type { ChatRequest } from '../../core/chat-schema.js';
import { messageText } from '../../core/estimate-tokens.js';
import type { Speaker } from './compose-answer.js';

/** A role of the bundled pipeline, as its system prompts name it (`Pipeline role: coder`). */
export type PipelineRole = 'planner' | 'plan_reviewer' | 'coder' | 'reviewer';

const ROLE_LINE = /^Pipeline role: (planner|plan_reviewer|coder|reviewer)\s*$/m;
const TASK_LINE = /^Task: (.+)$/m;

/** The pipeline role a request plays, from its system prompt; undefined for every other request. */
export function pipelineRoleOf(request: ChatRequest): PipelineRole | undefined {
  for (const message of request.messages) {
    if (message.role !== 'system' && message.role !== 'developer') continue;
    const m = ROLE_LINE.exec(messageText(message));
    if (m) return m[1] as PipelineRole;
  }
  return undefined;
}

/**
 * An answer in the shape the role's prompt asks for (a numbered plan, files in fenced blocks that name a path,
 * a verdict block), so `switchyard pipeline run` produces real artifacts with no API key. Deterministic.
 */
export function composePipelineAnswer(speaker: Speaker, role: PipelineRole, userText: string): string {
  const task = TASK_LINE.exec(userText)?.[1]?.trim() || 'the task';
  const by = `(demo model ${speaker.name}, ${speaker.tier} tier: no real model was called)`;
  switch (role) {
    case 'planner':
      return [
        `## Plan ${by}`,
        '',
        `Goal: ${task}`,
        '',
        '1. Find where the change belongs and keep it in one small module.',
        '2. Implement it with the smallest interface that does the job.',
        '3. Export it so it can be wired in and tested on its own.',
        '4. Add a test that exercises the new behaviour.',
      ].join('\n');
    case 'coder': {
      const name = slug(task);
      return [
        `Implementation ${by}.`,
        '',
        '```js path=src/' + name + '.js',
        `// ${task}`,
        `// Written by the Switchyard demo provider; replace with a real model's code.`,
        `export function ${camel(name)}() {`,
        `  return { done: true, task: ${JSON.stringify(task)} };`,
        '}',
        '```',
      ].join('\n');
    }
    case 'plan_reviewer':
    case 'reviewer':
      return [
        `Review ${by}: the change is small, does what the task asks and keeps to one module.`,
        '',
        '```verdict',
        JSON.stringify({ verdict: 'approve', findings: [{ severity: 'minor', message: 'Demo review: a real reviewer model would check the code in depth.' }] }),
        '```',
      ].join('\n');
  }
}

function slug(text: string): string {
  const words = text.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim().split(' ').filter(Boolean).slice(0, 4);
  return words.length > 0 ? words.join('-') : 'task';
}

function camel(name: string): string {
  const parts = name.split('-');
  const joined = parts.map((p, i) => (i === 0 ? p : p.charAt(0).toUpperCase() + p.slice(1))).join('');
  return /^[a-z]/.test(joined) ? joined : `task${joined}`;
}
