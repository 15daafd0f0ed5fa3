import { describe, expect, it } from 'vitest';
import type { Deployment } from '../../src/config/types.js';
import { encodeOpenAIRequest } from '../../src/providers/openai-compatible/encode-request.js';
import { compileNative } from '../../src/config/compile-native.js';

const deployment = (reportCost: boolean): Deployment => ({
  id: 'm#0',
  modelName: 'm',
  provider: { name: 'p', kind: 'openai-compatible', baseUrl: 'http://x/v1', headers: {}, ...(reportCost ? { reportCost } : {}) },
  upstreamModel: 'up',
  prices: {},
  capabilities: { tools: true, vision: false, caching: false, reasoning: false },
});

describe('upstream-reported cost', () => {
  it('asks a provider flagged report_cost for the cost in its usage, and no other', () => {
    const request = { model: 'm', messages: [{ role: 'user' as const, content: 'hi' }] };
    expect(encodeOpenAIRequest(request, deployment(true)).usage).toEqual({ include: true });
    expect(encodeOpenAIRequest(request, deployment(false)).usage).toBeUndefined();
  });

  it('turns report_cost on by default for OpenRouter and lets the config decide for others', () => {
    const { config } = compileNative({
      providers: {
        or: { kind: 'openai-compatible', base_url: 'https://openrouter.ai/api/v1' },
        off: { kind: 'openai-compatible', base_url: 'https://openrouter.ai/api/v1', report_cost: false },
        proxy: { kind: 'openai-compatible', base_url: 'http://127.0.0.1:4001/v1', report_cost: true },
        local: { kind: 'openai-compatible', base_url: 'http://127.0.0.1:11434/v1' },
      },
      models: ['or', 'off', 'proxy', 'local'].map((p) => ({ name: p, provider: p })),
    }, { source: 'test' });
    const flag = (name: string) => config!.models.get(name)![0]!.provider.reportCost ?? false;
    expect(['or', 'off', 'proxy', 'local'].map(flag)).toEqual([true, false, true, false]);
  });
});
