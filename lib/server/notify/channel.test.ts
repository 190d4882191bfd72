import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';

vi.mock('server-only', () => ({}));

import { backoffMs, channelsFromEnv, notifyAll, slackPayload, webhookChannel, type Notification } from './channel';

/** A Slack-compatible receiver on 127.0.0.1 that answers the given statuses in turn. */
async function receiver(statuses: { status: number; headers?: Record<string, string> }[]) {
  const bodies: unknown[] = [];
  const server: Server = createServer((req, res) => {
    let text = '';
    req.on('data', (c) => (text += c));
    req.on('end', () => {
      bodies.push({ contentType: req.headers['content-type'], body: JSON.parse(text) });
      const next = statuses[Math.min(bodies.length - 1, statuses.length - 1)];
      res.writeHead(next.status, next.headers).end(next.status < 300 ? 'ok' : 'no');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, bodies };
}

const servers: Server[] = [];
afterEach(() => servers.splice(0).forEach((s) => s.close()));

const note: Notification = { title: 'Approval requested: shop/checkout step 5', text: 'alice asks: v1.1.0 <looks> good', link: 'http://127.0.0.1:3000/approvals', severity: 'info' };
const waits: number[] = [];
const fast = { sleep: async (ms: number) => void waits.push(ms), random: () => 0.5, baseDelayMs: 100, maxDelayMs: 1000 };

describe('webhook channel', () => {
  it('posts Slack’s JSON with the title, the escaped text and the link', async () => {
    const hook = await receiver([{ status: 200 }]);
    await webhookChannel('test', hook.url, fast).send(note);
    expect(hook.bodies).toEqual([{ contentType: 'application/json', body: slackPayload(note) }]);
    expect(slackPayload(note).text).toBe(
      ':large_blue_circle: *Approval requested: shop/checkout step 5*\nalice asks: v1.1.0 &lt;looks&gt; good\n<http://127.0.0.1:3000/approvals|Open in Aviary>',
    );
  });

  it('retries 5xx and 429 with backoff (Retry-After first), then succeeds', async () => {
    waits.length = 0;
    const hook = await receiver([{ status: 503 }, { status: 429, headers: { 'Retry-After': '1' } }, { status: 200 }]);
    await webhookChannel('test', hook.url, fast).send(note);
    expect(hook.bodies).toHaveLength(3);
    expect(waits).toEqual([50, 1000]);
  });

  it('does not retry a 4xx (a wrong URL is configuration, not weather) and gives up after the attempts', async () => {
    const gone = await receiver([{ status: 404 }]);
    await expect(webhookChannel('test', gone.url, fast).send(note)).rejects.toThrow('test: answered 404');
    expect(gone.bodies).toHaveLength(1);
    const down = await receiver([{ status: 500 }]);
    await expect(webhookChannel('test', down.url, { ...fast, attempts: 3 }).send(note)).rejects.toThrow('answered 500');
    expect(down.bodies).toHaveLength(3);
  });

  it('notifyAll never throws: a failing channel is logged by name, the others still get it', async () => {
    const ok = await receiver([{ status: 200 }]);
    const lines: string[] = [];
    await notifyAll([webhookChannel('broken', 'http://127.0.0.1:9/none', { ...fast, attempts: 1 }), webhookChannel('ok', ok.url, fast)], note, (l) => lines.push(l));
    expect(ok.bodies).toHaveLength(1);
    expect(JSON.parse(lines[0])).toMatchObject({ msg: 'aviary.notify.failed', channel: 'broken' });
  });

  it('backoff grows and is capped; channels come from AVIARY_NOTIFY_WEBHOOKS only', () => {
    expect([0, 1, 2, 10].map((a) => backoffMs(a, { baseDelayMs: 100, maxDelayMs: 1000, random: () => 0.999 }))).toEqual([99, 199, 399, 999]);
    expect(channelsFromEnv({}).length).toBe(0);
    expect(channelsFromEnv({ AVIARY_NOTIFY_WEBHOOKS: 'https://hooks.slack.com/services/T/B/x, http://127.0.0.1:9999/h' }).map((c) => c.name)).toEqual([
      'webhook-1 (hooks.slack.com)',
      'webhook-2 (127.0.0.1:9999)',
    ]);
    expect(() => channelsFromEnv({ AVIARY_NOTIFY_WEBHOOKS: 'file:///etc/passwd' })).toThrow(/AVIARY_NOTIFY_WEBHOOKS/);
  });
});
