import { describe, expect, it } from 'vitest';
import type { Deployment } from '../../../src/config/types.js';
import type { ChatRequest } from '../../../src/core/chat-schema.js';
import { toolsJson } from '../../../src/core/tools-json.js';
import { encodeOpenAIBody, encodeOpenAIRequest } from '../../../src/providers/openai-compatible/encode-request.js';

const deployment: Deployment = {
  id: 'm#0',
  modelName: 'm',
  provider: { name: 'p', kind: 'openai-compatible', baseUrl: 'http://x/v1', headers: {} },
  upstreamModel: 'up',
  prices: {},
  capabilities: { tools: true, vision: false, caching: false, reasoning: false },
};

const tools = [
  { type: 'function', function: { name: 'read', description: 'Reads a "file"\n', parameters: { type: 'object', properties: { path: { type: 'string' } } } } },
  { type: 'function', function: { name: 'bash', parameters: { type: 'object' } } },
];

describe('encodeOpenAIBody', () => {
  it('is the JSON of the encoded request, with or without tools', () => {
    const requests: ChatRequest[] = [
      { model: 'm', messages: [{ role: 'user', content: 'hi' }], tools, tool_choice: 'auto', stream: true, drop_params: true } as ChatRequest,
      { model: 'm', messages: [{ role: 'user', content: 'hi' }] },
      { model: 'm', messages: [{ role: 'user', content: 'hi' }], tools: [] } as ChatRequest,
    ];
    for (const request of requests) {
      const expected = encodeOpenAIRequest(request, deployment);
      expect(JSON.parse(encodeOpenAIBody(request, deployment))).toEqual(expected);
    }
  });

  it('writes the tools last, in the text toolsJson made for the token estimate', () => {
    const request = { model: 'm', messages: [{ role: 'user', content: 'hi' }], tools } as ChatRequest;
    const text = toolsJson(request.tools!);
    expect(encodeOpenAIBody(request, deployment).endsWith(`,"tools":${text}}`)).toBe(true);
  });
});
