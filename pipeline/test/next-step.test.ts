import { describe, expect, it } from 'vitest';
import type { Role } from '../src/config/roles.js';
import { nextStep } from '../src/run/next-step.js';
import type { StepRecord } from '../src/state/task-state.js';

const step = (role: Role, verdict?: 'approve' | 'request_changes'): StepRecord => ({ role, round: 0, model: 'm', cost_usd: 0, latency_ms: 1, finished_at: '', output: '', ...(verdict ? { verdict } : {}) });
const plain = { planReview: false, reviewRounds: 2 };

describe('nextStep', () => {
  it('walks plan → code → review and stops at an approval', () => {
    expect(nextStep([], plain)).toEqual({ kind: 'call', role: 'planner', round: 0 });
    expect(nextStep([step('planner')], plain)).toEqual({ kind: 'call', role: 'coder', round: 0 });
    expect(nextStep([step('planner'), step('coder')], plain)).toEqual({ kind: 'call', role: 'reviewer', round: 0 });
    expect(nextStep([step('planner'), step('coder'), step('reviewer', 'approve')], plain)).toEqual({ kind: 'done', outcome: 'approved' });
  });

  it('revises at most reviewRounds times, then queues', () => {
    const changes = [step('planner'), step('coder'), step('reviewer', 'request_changes')];
    expect(nextStep(changes, plain)).toEqual({ kind: 'call', role: 'coder', round: 1 });
    const twice = [...changes, step('coder'), step('reviewer', 'request_changes'), step('coder'), step('reviewer', 'request_changes')];
    expect(nextStep(twice.slice(0, 5), plain)).toEqual({ kind: 'call', role: 'coder', round: 2 });
    expect(nextStep(twice, plain)).toEqual({ kind: 'done', outcome: 'queued' });
    expect(nextStep(changes, { ...plain, reviewRounds: 0 })).toEqual({ kind: 'done', outcome: 'queued' });
  });

  it('reviews the plan when the plan reviewer is on, revising the plan once if asked', () => {
    const on = { planReview: true, reviewRounds: 2 };
    expect(nextStep([step('planner')], on)).toEqual({ kind: 'call', role: 'plan_reviewer', round: 0 });
    expect(nextStep([step('planner'), step('plan_reviewer', 'request_changes')], on)).toEqual({ kind: 'call', role: 'planner', round: 1 });
    expect(nextStep([step('planner'), step('plan_reviewer', 'request_changes'), step('planner')], on)).toEqual({ kind: 'call', role: 'coder', round: 0 });
    expect(nextStep([step('planner'), step('plan_reviewer', 'approve')], on)).toEqual({ kind: 'call', role: 'coder', round: 0 });
  });
});
