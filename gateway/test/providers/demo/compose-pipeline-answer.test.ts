import { describe, expect, it } from 'vitest';
import type { ChatRequest } from '../../../src/core/chat-schema.js';
import { DEMO_MODELS } from '../../../src/providers/demo/catalog.js';
import { pipelineRoleOf } from '../../../src/providers/demo/compose-pipeline-answer.js';
import { planOutput } from '../../../src/providers/demo/plan-output.js';

const premium = DEMO_MODELS.find((m) => m.name === 'demo-premium')!;
const asRole = (role: string): ChatRequest => ({
  model: 'pipeline',
  messages: [
    { role: 'system', content: `You are one role of a planner → coder → reviewer pipeline.\nPipeline role: ${role}\nAnswer in the format below.` },
    { role: 'user', content: 'Task: Add a /health endpoint to an Express app\nRisk: low' },
  ],
});

describe('demo answers to the bundled pipeline', () => {
  it('recognises the role line of a system prompt, and nothing else', () => {
    expect(pipelineRoleOf(asRole('coder'))).toBe('coder');
    expect(pipelineRoleOf(asRole('plan_reviewer'))).toBe('plan_reviewer');
    expect(pipelineRoleOf({ model: 'm', messages: [{ role: 'user', content: 'Pipeline role: coder' }] })).toBeUndefined();
    expect(pipelineRoleOf(asRole('janitor'))).toBeUndefined();
  });

  it('answers each role in the shape its prompt asks for', () => {
    const plan = planOutput(premium, asRole('planner'), 'a'.repeat(64)).content!;
    expect(plan).toMatch(/^## Plan/);
    expect(plan).toContain('Goal: Add a /health endpoint to an Express app');
    const code = planOutput(premium, asRole('coder'), 'a'.repeat(64)).content!;
    expect(code).toContain('```js path=src/add-a-health-endpoint.js\n');
    expect(code).toContain('export function addAHealthEndpoint()');
    const review = planOutput(premium, asRole('reviewer'), 'a'.repeat(64));
    const block = /```verdict\n(.+)\n```/.exec(review.content!)![1]!;
    expect(JSON.parse(block)).toMatchObject({ verdict: 'approve' });
    expect(review.usage.completion_tokens).toBeGreaterThan(10);
  });
});
