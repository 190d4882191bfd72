import { PassThrough } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';

vi.mock('server-only', () => ({}));

import { watchEvents } from './transport';

describe('watch events from a response body', () => {
  it('splits newline-delimited JSON across chunk boundaries', async () => {
    const body = PassThrough.from(['{"type":"ADDED","object":{"metadata":{"name":"a"}}}\n{"type":"BOO', 'KMARK","object":{"metadata":{"name":"","resourceVersion":"7"}}}\n']);
    const events = [];
    for await (const e of watchEvents(body)) events.push(e.type);
    expect(events).toEqual(['ADDED', 'BOOKMARK']);
  });

  it('ends when the body is destroyed mid-watch, as the idle watchdog does to a half-open connection', async () => {
    // readline's iterator never settled in this case, so a watchdog abort left the reflector stuck.
    const body = new PassThrough();
    body.write('{"type":"ADDED","object":{"metadata":{"name":"a"}}}\n');
    const seen: string[] = [];
    const done = (async () => {
      try {
        for await (const e of watchEvents(body)) seen.push(e.type);
        return 'ended';
      } catch {
        return 'ended with an error';
      }
    })();
    setTimeout(() => body.destroy(), 20);
    const outcome = await Promise.race([done, new Promise((resolve) => setTimeout(() => resolve('still waiting'), 1000))]);
    expect(seen).toEqual(['ADDED']);
    expect(outcome).not.toBe('still waiting');
  });
});
