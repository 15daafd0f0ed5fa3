import { writeFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { PipelineConfig } from '../config/pipeline-config.js';
import type { Role } from '../config/roles.js';
import { extractFiles } from '../artifacts/extract-files.js';
import { writeAnswerFiles } from '../artifacts/write-files.js';
import { roleMessages, type PromptInput } from '../prompts/role-prompts.js';
import { parseVerdict, type Verdict } from '../review/parse-verdict.js';
import { writeJsonAtomic } from '../state/write-atomic.js';
import type { Task } from '../tasks/task.js';
import { callRole } from './call-role.js';
import type { Reporter } from './reporter.js';

export interface RoleRunResult {
  text: string;
  model: string;
  tier?: string;
  costUsd: number | null;
  verdict?: Verdict;
  files: string[];
  refused: Array<{ path: string; reason: string }>;
}

/**
 * One role on its own (`plan`, `code`, `review`): `context` is the plan for the coder and the implementation for
 * the reviewer. With `out`, the role's artifact and a one-step run.json are written there.
 */
export async function runRole(opts: { config: PipelineConfig; role: Extract<Role, 'planner' | 'coder' | 'reviewer'>; task: Task; context?: string; exclude?: string[]; out?: string; reporter?: Reporter; signal?: AbortSignal }): Promise<RoleRunResult> {
  const { role, task } = opts;
  const input: PromptInput = { task };
  if (opts.context !== undefined && role === 'coder') input.plan = opts.context;
  if (opts.context !== undefined && role === 'reviewer') input.code = opts.context;
  opts.reporter?.stepStarted?.(role, 0, opts.config.roles[role].model);
  const answer = await callRole(opts.config, role, task, roleMessages(role, input), {
    ...(opts.exclude ? { exclude: opts.exclude } : {}),
    ...(opts.reporter ? { reporter: opts.reporter } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  const result: RoleRunResult = { text: answer.text, model: answer.model, ...(answer.tier ? { tier: answer.tier } : {}), costUsd: answer.costMicros === undefined ? null : answer.costMicros / 1e6, files: [], refused: [] };
  if (role === 'reviewer') result.verdict = parseVerdict(answer.text);
  const extracted = role === 'coder' ? extractFiles(answer.text) : undefined;
  if (extracted) result.refused.push(...extracted.refused);
  if (opts.out) {
    const dir = resolve(opts.out);
    mkdirSync(dir, { recursive: true });
    if (role === 'planner') writeFileSync(join(dir, 'plan.md'), answer.text.endsWith('\n') ? answer.text : `${answer.text}\n`);
    if (role === 'reviewer') writeFileSync(join(dir, 'review.md'), `# Code review: ${task.goal}\n\n${answer.text.trim()}\n`);
    if (extracted) {
      const written = writeAnswerFiles(dir, extracted.files);
      result.files = written.paths;
      result.refused.push(...written.refused);
    }
    writeJsonAtomic(join(dir, 'run.json'), {
      id: task.id,
      goal: task.goal,
      risk: task.risk,
      area: task.area,
      status: 'done',
      verdict: result.verdict?.verdict ?? null,
      findings: result.verdict?.findings ?? [],
      steps: [{
        role,
        round: 0,
        model: answer.model,
        ...(answer.tier ? { tier: answer.tier } : {}),
        ...(answer.rule ? { rule: answer.rule } : {}),
        ...(answer.inputTokens !== undefined ? { input_tokens: answer.inputTokens } : {}),
        ...(answer.outputTokens !== undefined ? { output_tokens: answer.outputTokens } : {}),
        cost_usd: result.costUsd,
        latency_ms: Math.round(answer.latencyMs),
        ...(answer.requestId ? { request_id: answer.requestId } : {}),
        ...(opts.exclude ? { excluded_models: opts.exclude } : {}),
      }],
      total_cost_usd: result.costUsd ?? 0,
      cost_complete: result.costUsd !== null,
      files: result.files,
      refused_paths: result.refused,
    });
  }
  return result;
}
