/** The load scenarios of ../scenarios.json (shared with the k6 script), validated, and the request bodies they send. */
import { readFileSync } from 'node:fs';
import { z } from 'zod';

const stage = z.strictObject({ seconds: z.number().int().positive(), connections: z.number().int().positive() });
const scenario = z.strictObject({
  description: z.string().min(1),
  stream_share: z.number().min(0).max(1),
  upstream_think_ms: z.number().int().min(0),
  stages: z.array(stage).min(1),
});
const file = z.object({
  request: z.strictObject({ model: z.string().min(1), max_tokens: z.number().int().positive(), system: z.string(), user_chars: z.number().int().positive() }),
  scenarios: z.record(z.string(), scenario),
});

export type Scenario = z.infer<typeof scenario>;
export type ScenarioFile = z.infer<typeof file>;

/** Reads and validates the scenario file; throws with the path of the first problem. */
export function readScenarios(path: string): ScenarioFile {
  const parsed = file.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${path}: ${issue.path.join('.')}: ${issue.message}`);
  }
  return parsed.data;
}

/** The two bodies every scenario mixes: a plain chat completion and the same request streamed with usage. */
export function requestBodies(request: ScenarioFile['request'], model = request.model): { plain: string; stream: string } {
  const user = 'Refactor the function below so that it handles empty input, then explain the change. '
    .repeat(Math.ceil(request.user_chars / 86))
    .slice(0, request.user_chars);
  const messages = [
    { role: 'system', content: request.system },
    { role: 'user', content: user },
  ];
  return {
    plain: JSON.stringify({ model, max_tokens: request.max_tokens, messages }),
    stream: JSON.stringify({ model, max_tokens: request.max_tokens, messages, stream: true, stream_options: { include_usage: true } }),
  };
}

/** Whether request number `n` (from 1) is streamed, so that `share` of the requests are, evenly spread. */
export function isStreamed(n: number, share: number): boolean {
  return Math.floor(n * share) > Math.floor((n - 1) * share);
}
