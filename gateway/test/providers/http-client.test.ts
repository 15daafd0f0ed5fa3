import { describe, expect, it } from 'vitest';
import { upstreamConnectionCap } from '../../src/providers/http-client.js';

describe('upstream connection cap', () => {
  it('is unlimited unless SWITCHYARD_UPSTREAM_CONNECTIONS names a positive integer', () => {
    expect(upstreamConnectionCap(undefined)).toBeNull();
    expect(upstreamConnectionCap('')).toBeNull();
    expect(upstreamConnectionCap('0')).toBeNull();
    expect(upstreamConnectionCap('-5')).toBeNull();
    expect(upstreamConnectionCap('2.5')).toBeNull();
    expect(upstreamConnectionCap('many')).toBeNull();
    expect(upstreamConnectionCap('4096')).toBe(4096);
  });
});
