import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadPipelineConfig } from '../src/config/pipeline-config.js';
import { loadTasksFile } from '../src/tasks/load-tasks.js';
import { cleanTempDirs, tempDir } from './support/pipeline-harness.js';

afterAll(cleanTempDirs);

describe('pipeline.yaml', () => {
  it('defaults every role to the pipeline router with its temperature', () => {
    const config = loadPipelineConfig({ cwd: tempDir(), env: {} });
    expect(config.gateway).toEqual({ url: 'http://127.0.0.1:4000', timeoutMs: 600_000 });
    expect(config.roles).toEqual({
      planner: { model: 'pipeline', temperature: 0.5, maxTokens: 4096, enabled: true },
      plan_reviewer: { model: 'pipeline', temperature: 0.1, maxTokens: 4096, enabled: false },
      coder: { model: 'pipeline', temperature: 0.2, maxTokens: 4096, enabled: true },
      reviewer: { model: 'pipeline', temperature: 0.1, maxTokens: 4096, enabled: true },
    });
    expect(config).toMatchObject({ reviewRounds: 2, stream: true, retries: 2 });
    expect(config.maxCostPerTask).toBeUndefined();
  });

  it('reads ./pipeline.yaml, then lets the environment override it', () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'pipeline.yaml'), [
      'gateway: { url: "http://gw:4000/", api_key_env: MY_KEY }',
      'router: auto',
      'roles:',
      '  planner: { model: big-model, temperature: 0.7 }',
      '  coder: { tier: premium }',
      '  plan_reviewer: { enabled: true }',
      'review_rounds: 3',
      'max_cost_per_task: 0.5',
    ].join('\n'));
    const config = loadPipelineConfig({ cwd, env: { MY_KEY: 'sk-1', SWITCHYARD_CODER_MODEL: 'coder-x', SWITCHYARD_REVIEWER_TEMPERATURE: '0', SWITCHYARD_PIPELINE_MAX_COST: '2' } });
    expect(config.gateway).toMatchObject({ url: 'http://gw:4000', apiKey: 'sk-1' });
    expect(config.roles.planner).toMatchObject({ model: 'big-model', temperature: 0.7 });
    expect(config.roles.coder).toMatchObject({ model: 'coder-x', tier: 'premium', temperature: 0.2 });
    expect(config.roles.reviewer).toMatchObject({ model: 'auto', temperature: 0 });
    expect(config.roles.plan_reviewer.enabled).toBe(true);
    expect(config).toMatchObject({ reviewRounds: 3, maxCostPerTask: 2 });
  });

  it('names the field and the fix for bad settings', () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'p.yaml'), 'roles:\n  planner: { temprature: 0.3 }\nreview_rounds: -1\n');
    expect(() => loadPipelineConfig({ cwd, file: 'p.yaml', env: {} })).toThrow(/roles\.planner: Unrecognized key: "temprature"[\s\S]*review_rounds/);
    expect(() => loadPipelineConfig({ cwd: tempDir(), env: { SWITCHYARD_PLANNER_TEMPERATURE: 'hot' } })).toThrow(/SWITCHYARD_PLANNER_TEMPERATURE="hot" is not a number >= 0 and <= 2/);
    expect(() => loadPipelineConfig({ cwd, file: 'missing.yaml', env: {} })).toThrow(/cannot read .*missing\.yaml \(ENOENT\)/);
  });
});

describe('tasks.yaml', () => {
  it('reads tasks with defaults and their context files', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'spec.md'), 'The spec.');
    writeFileSync(join(dir, 'tasks.yaml'), 'tasks:\n  - { id: t1, goal: Do one, risk: high, area: Core, context: [spec.md], constraints: [no new deps] }\n  - { id: t2, goal: Do two }\n');
    expect(loadTasksFile(join(dir, 'tasks.yaml'))).toEqual([
      { id: 't1', goal: 'Do one', risk: 'high', area: 'core', context: [{ name: 'spec.md', text: 'The spec.' }], constraints: ['no new deps'] },
      { id: 't2', goal: 'Do two', risk: 'medium', area: 'general', context: [], constraints: [] },
    ]);
  });

  it('refuses duplicate ids, bad risks and missing context files with the place', () => {
    const dir = tempDir();
    const file = join(dir, 'tasks.yaml');
    writeFileSync(file, '- { id: a, goal: x }\n- { id: a, goal: y }\n');
    expect(() => loadTasksFile(file)).toThrow(/1\.id: duplicate task id "a"/);
    writeFileSync(file, '- { id: a, goal: x, risk: extreme }\n');
    expect(() => loadTasksFile(file)).toThrow(/0\.risk/);
    writeFileSync(file, '- { id: a, goal: x, context: [nope.md] }\n');
    expect(() => loadTasksFile(file)).toThrow(/cannot read context file nope\.md \(ENOENT\)/);
  });
});
