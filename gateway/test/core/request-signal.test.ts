import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, request } from 'undici';
import { describe, expect, it } from 'vitest';
import { RequestSignal } from '../../src/core/request-signal.js';
import { sleep } from '../../src/dispatch/backoff.js';

describe('RequestSignal', () => {
  it('runs each listener once, in order, with the reason set; later aborts and late listeners do nothing', () => {
    const signal = new RequestSignal();
    const calls: string[] = [];
    const a = () => calls.push(`a:${String(signal.reason)}`);
    signal.addEventListener('abort', a);
    signal.addEventListener('abort', a); // held once, as by an EventTarget
    signal.addEventListener('abort', () => calls.push('b'));
    expect(signal.aborted).toBe(false);
    signal.abort('gone');
    signal.abort('again');
    signal.addEventListener('abort', () => calls.push('late'));
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toBe('gone');
    expect(calls).toEqual(['a:gone', 'b']);
  });

  it('skips a listener removed before it ran, also when an earlier listener removes it during the abort', () => {
    const signal = new RequestSignal();
    const calls: string[] = [];
    const c = () => calls.push('c');
    const b = () => calls.push('b');
    signal.addEventListener('abort', () => {
      calls.push('a');
      signal.removeEventListener('abort', c);
    });
    signal.addEventListener('abort', b);
    signal.addEventListener('abort', c);
    signal.removeEventListener('abort', b);
    signal.abort(new Error('x'));
    expect(calls).toEqual(['a']);
  });

  it('runs the other listeners when one throws, and throws its error again on the next tick', async () => {
    const signal = new RequestSignal();
    const calls: string[] = [];
    signal.addEventListener('abort', () => {
      throw new Error('listener failed');
    });
    signal.addEventListener('abort', () => calls.push('after'));
    // vitest fails a run on any uncaught exception: its handlers step aside while this one is expected
    const handlers = process.listeners('uncaughtException');
    for (const handler of handlers) process.off('uncaughtException', handler);
    try {
      const seen = new Promise<unknown>((resolve) => process.once('uncaughtException', resolve));
      signal.abort('x');
      expect(calls).toEqual(['after']);
      expect(((await seen) as Error).message).toBe('listener failed');
    } finally {
      for (const handler of handlers) process.on('uncaughtException', handler);
    }
  });

  it('aborts an undici request in flight and a backoff wait, as an AbortSignal does', async () => {
    const server = createServer(() => {}); // never answers
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const agent = new Agent();
    try {
      const signal = new RequestSignal();
      const pending = request(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, { dispatcher: agent, signal: signal as never });
      const waiting = sleep(60_000, signal);
      setTimeout(() => signal.abort(new Error('client gone')), 20);
      await expect(pending).rejects.toThrow('client gone');
      await expect(waiting).rejects.toThrow('client gone');
    } finally {
      await agent.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
