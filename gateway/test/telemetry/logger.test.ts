import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/telemetry/logger.js';

describe('logger redaction', () => {
  it('replaces keys wherever a logged object carries them', () => {
    const lines: string[] = [];
    const logger = createLogger(new Writable({ write: (chunk, _e, cb) => (lines.push(String(chunk)), cb()) }));
    logger.info({
      provider: { name: 'or', apiKey: 'sk-or-v1-secret-a' },
      config: { auth: { masterKey: 'sk-master-secret-b' }, general: { master_key: 'sk-master-secret-c' } },
      headers: { authorization: 'Bearer sk-secret-d', 'x-api-key': 'sk-secret-e' },
      litellm_params: { api_key: 'sk-secret-f' },
    }, 'config loaded');
    const out = lines.join('');
    for (const s of ['secret-a', 'secret-b', 'secret-c', 'secret-d', 'secret-e', 'secret-f']) expect(out).not.toContain(s);
    expect(JSON.parse(out).provider).toEqual({ name: 'or', apiKey: '[redacted]' });
  });
});
