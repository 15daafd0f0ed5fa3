import { describe, expect, it } from 'vitest';
import { extractSignals } from '../../src/routing/signals/extract-signals.js';
import type { ChatRequest } from '../../src/core/chat-schema.js';
import * as rec from './client-requests.js';

const signalsOf = (r: rec.Recorded, aliasTier?: string) => extractSignals({ request: r.body, header: (n) => r.headers[n], aliasTier });

describe('signals of recorded client requests', () => {
  it('recognises OpenCode and its title-generation call', () => {
    const s = signalsOf(rec.opencodeTitle);
    expect(s).toMatchObject({ client: 'opencode', task: 'title', tools: 0, turn: 'first' });
  });

  it('tells an OpenCode instruction from its tool-result continuation', () => {
    expect(signalsOf(rec.opencodeAgent)).toMatchObject({ client: 'opencode', task: 'chat', turn: 'first', depth: 1, tools: 10 });
    const cont = signalsOf(rec.opencodeToolResult);
    expect(cont).toMatchObject({ turn: 'tool_result', depth: 1, messages: 4 });
    expect(cont.instruction).toBe('add a --verbose flag to the CLI');
  });

  it('reads Roo Code mode from environment details and strips its boilerplate from the instruction', () => {
    const s = signalsOf(rec.rooArchitect);
    expect(s).toMatchObject({ client: 'roo-code', mode: 'architect', turn: 'first' });
    expect(s.instruction).toBe('Plan how to split the billing module into services');
    expect(s.cues.design).toBe(true);
  });

  it('treats a Roo Code XML tool result as a continuation, with the mode of the latest message', () => {
    expect(signalsOf(rec.rooToolResult)).toMatchObject({ client: 'roo-code', mode: 'code', turn: 'tool_result', depth: 1 });
  });

  it('falls back to the role line for the Roo Code mode', () => {
    const body: ChatRequest = { ...rec.rooArchitect.body, messages: [rec.rooArchitect.body.messages[0]!, { role: 'user', content: 'hello' }] };
    expect(extractSignals({ request: body, header: () => undefined }).mode).toBe('architect');
  });

  it('recognises Cline, its plan mode and a debugging question', () => {
    const s = signalsOf(rec.clinePlan);
    expect(s).toMatchObject({ client: 'cline', mode: 'plan' });
    expect(s.cues.debug).toBe(true);
    expect(s.cues.questions).toBe(1);
    // Without the user agent, the system prompt and the litellm session id still say Cline.
    expect(extractSignals({ request: rec.clinePlan.body, header: () => undefined }).client).toBe('cline');
  });

  it("marks Claude Code's helper calls as background and ignores system reminders in the instruction", () => {
    expect(signalsOf(rec.claudeCodeBackground)).toMatchObject({ client: 'claude-code', task: 'background' });
    const agent = signalsOf(rec.claudeCodeAgent);
    expect(agent).toMatchObject({ client: 'claude-code', task: 'chat' });
    expect(agent.instruction).toBe('fix the flaky test in auth.spec.ts');
  });

  it('recognises Continue and its mode from the system prompt', () => {
    expect(signalsOf(rec.continueAgent)).toMatchObject({ client: 'continue', mode: 'agent' });
  });

  it('reads needs and hints: images, JSON mode, tier and role headers, alias tier', () => {
    const body = {
      model: 'auto',
      response_format: { type: 'json_object' },
      messages: [{ role: 'user', content: [{ type: 'text', text: 'what is in this picture?' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } }] }],
    } as ChatRequest;
    const headers: Record<string, string> = { 'x-switchyard-tier': 'Premium', 'x-switchyard-role': 'planner', 'x-switchyard-risk': ' High', 'x-switchyard-area': 'Core ' };
    const s = extractSignals({ request: body, header: (n) => headers[n] });
    expect(s).toMatchObject({ images: true, json_mode: true, hint_tier: 'premium', role: 'planner', risk: 'high', area: 'core' });
    expect(extractSignals({ request: body, header: () => undefined })).toMatchObject({ role: '', risk: '', area: '' });
    expect(extractSignals({ request: body, header: () => undefined, aliasTier: 'cheap' }).hint_tier).toBe('cheap');
  });

  it('counts user turns for depth and calls a later user message a new instruction', () => {
    const body: ChatRequest = {
      model: 'auto',
      messages: [
        { role: 'user', content: 'hi' },
        { role: 'assistant', content: 'hello' },
        { role: 'user', content: 'now write a function that parses ISO dates' },
      ],
    };
    const s = extractSignals({ request: body, header: () => undefined });
    expect(s).toMatchObject({ turn: 'new_instruction', depth: 2 });
    expect(s.cues.code).toBe(true);
  });

  it('scores a long technical instruction above a short chat question, and open-ended prose lower', () => {
    const one = (content: string) => extractSignals({ request: { model: 'auto', messages: [{ role: 'user', content }] }, header: () => undefined });
    const short = one('What is the capital of France?');
    const poem = one('Write a short poem about autumn leaves and the feeling of walking home.');
    const hard = one('Implement a lock-free queue in Rust. First design the memory ordering, then write the code, then add unit tests that run 8 threads. It must never allocate on the hot path.');
    expect(hard.complexity).toBeGreaterThan(short.complexity);
    expect(hard.cues).toMatchObject({ code: true, design: true });
    expect(hard.cues.multi_step).toBeGreaterThanOrEqual(2);
    expect(hard.cues.constraints).toBeGreaterThanOrEqual(1);
    expect(poem.cues.open_ended).toBe(true);
    expect(poem.complexity).toBeLessThan(short.complexity + 0.2);
  });

  it('estimates context tokens of a 100 KB agent request including tool definitions', () => {
    const big = 'x'.repeat(100_000);
    const body: ChatRequest = { ...rec.opencodeAgent.body, messages: [{ role: 'system', content: big }, { role: 'user', content: 'go' }] };
    const s = extractSignals({ request: body, header: () => undefined });
    expect(s.context_tokens).toBeGreaterThan(25_000);
    expect(s.context_tokens).toBeLessThan(30_000);
  });
});
