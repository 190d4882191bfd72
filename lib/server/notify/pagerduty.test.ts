import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';

vi.mock('server-only', () => ({}));

import { pagerDutyResolve } from '@/lib/rollouts/incidents';
import { ChannelError } from './channel';
import { pagerDutySender } from './pagerduty';

const servers: Server[] = [];
afterEach(() => servers.splice(0).forEach((s) => s.close()));

/** A stand-in for PagerDuty's Events API on 127.0.0.1 answering the given statuses in turn. */
async function eventsApi(statuses: { status: number; headers?: Record<string, string> }[]) {
  const bodies: unknown[] = [];
  const server = createServer((req, res) => {
    let text = '';
    req.on('data', (c) => (text += c));
    req.on('end', () => {
      bodies.push(JSON.parse(text));
      const next = statuses[Math.min(bodies.length - 1, statuses.length - 1)];
      res.writeHead(next.status, { 'Content-Type': 'application/json', ...next.headers }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v2/enqueue`, bodies };
}

const waits: number[] = [];
const fast = { sleep: async (ms: number) => void waits.push(ms), random: () => 0.5, baseDelayMs: 100, maxDelayMs: 1000 };
const event = pagerDutyResolve('aviary/sandbox/shop/rollout/checkout/7', 'R0KEY');

describe('PagerDuty Events API v2 sender', () => {
  it('202 is delivered at the first attempt, with the event as sent', async () => {
    const api = await eventsApi([{ status: 202 }]);
    await expect(pagerDutySender(api.url, fast).send(event)).resolves.toEqual({ attempts: 1 });
    expect(api.bodies).toEqual([event]);
  });

  it('retries 5xx and 429 (after Retry-After) with backoff and counts the attempts', async () => {
    waits.length = 0;
    const api = await eventsApi([{ status: 503 }, { status: 429, headers: { 'Retry-After': '1' } }, { status: 202 }]);
    await expect(pagerDutySender(api.url, fast).send(event)).resolves.toEqual({ attempts: 3 });
    expect(waits).toEqual([50, 1000]);
  });

  it('a 400 (bad event or routing key) is not retried; giving up says how many attempts were made', async () => {
    const bad = await eventsApi([{ status: 400 }]);
    const error = await pagerDutySender(bad.url, fast).send(event).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChannelError);
    expect(error).toMatchObject({ retryable: false, attempts: 1 });
    const down = await eventsApi([{ status: 500 }]);
    const exhausted = await pagerDutySender(down.url, { ...fast, attempts: 4 }).send(event).catch((e: unknown) => e);
    expect(exhausted).toMatchObject({ retryable: true, attempts: 4, message: expect.stringContaining('answered 500') });
    expect(down.bodies).toHaveLength(4);
  });
});
