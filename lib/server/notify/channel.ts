import 'server-only';
import { z } from 'zod';

/**
 * Notification channels: where Aviary tells people something happened (an approval request, a
 * decision; the wall and on-call paging reuse them). A channel is anything with `send`; the one kind
 * shipped is a Slack-compatible incoming webhook (Slack, Mattermost, Rocket.Chat, Discord's /slack
 * endpoint), whose URL comes from configuration only — never from a request.
 */
export interface Notification {
  title: string;
  text: string;
  /** An absolute link to the thing in Aviary. */
  link: string | null;
  severity: 'info' | 'warning' | 'critical';
}

export interface Channel {
  /** For logs: never the URL (a webhook URL is a secret). */
  name: string;
  send(notification: Notification): Promise<void>;
}

export class ChannelError extends Error {
  /** Attempts made before giving up (set by postJson). */
  attempts = 1;
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
  }
}

export interface RetryOptions {
  /** Attempts in all (first one included). */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  timeoutMs: number;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
}

const DEFAULT_RETRY: RetryOptions = {
  attempts: 5,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  timeoutMs: 10_000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
};

/** Full-jitter exponential backoff: a random wait in [0, min(max, base·2^attempt)). */
export function backoffMs(attempt: number, options: Pick<RetryOptions, 'baseDelayMs' | 'maxDelayMs' | 'random'>): number {
  return Math.floor(options.random() * Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** attempt));
}

const ICON: Record<Notification['severity'], string> = { info: ':large_blue_circle:', warning: ':warning:', critical: ':rotating_light:' };

/** Slack's incoming-webhook body: `text` (mrkdwn) is what every compatible receiver reads. */
export function slackPayload(n: Notification): { text: string } {
  const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const link = n.link ? `\n<${n.link}|Open in Aviary>` : '';
  return { text: `${ICON[n.severity]} *${escape(n.title)}*\n${escape(n.text)}${link}` };
}

/** What one delivery took: attempts made (first included). */
export interface Delivery {
  attempts: number;
}

/**
 * POSTs a JSON body to a configured endpoint. Retries network errors, timeouts, 429 (after
 * Retry-After when given) and 5xx with backoff; a 4xx other than 429 is a configuration problem and
 * is not retried. Throws the last ChannelError (with `attempts` made) when it gives up.
 */
export async function postJson(name: string, url: string, body: string, retry: Partial<RetryOptions> = {}, accept: (status: number) => boolean = (s) => s >= 200 && s < 300): Promise<Delivery> {
  const options = { ...DEFAULT_RETRY, ...retry };
  const attempt = async () => {
    let response: Response;
    try {
      response = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body, signal: AbortSignal.timeout(options.timeoutMs) });
    } catch (error) {
      throw new ChannelError(`${name}: ${error instanceof Error ? error.message : String(error)}`, true);
    }
    await response.body?.cancel();
    if (accept(response.status)) return;
    const retryAfter = Number(response.headers.get('retry-after'));
    const retryable = response.status === 429 || response.status >= 500;
    throw new ChannelError(`${name}: answered ${response.status}`, retryable, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : null);
  };
  for (let i = 0; ; i++) {
    try {
      await attempt();
      return { attempts: i + 1 };
    } catch (error) {
      if (error instanceof ChannelError) error.attempts = i + 1;
      if (!(error instanceof ChannelError) || !error.retryable || i + 1 >= options.attempts) throw error;
      await options.sleep(Math.min(options.maxDelayMs, error.retryAfterMs ?? backoffMs(i, options)));
    }
  }
}

/** A Slack-compatible incoming webhook (retries as postJson). */
export function webhookChannel(name: string, url: string, retry: Partial<RetryOptions> = {}): Channel {
  return {
    name,
    async send(notification) {
      await postJson(name, url, JSON.stringify(slackPayload(notification)), retry);
    },
  };
}

const WebhookUrls = z.array(z.url({ protocol: /^https?$/ }));

/** `AVIARY_NOTIFY_WEBHOOKS`: comma-separated Slack-compatible incoming-webhook URLs (none: no notifications). */
export function channelsFromEnv(env: Record<string, string | undefined> = process.env): Channel[] {
  const urls = (env.AVIARY_NOTIFY_WEBHOOKS ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const parsed = WebhookUrls.safeParse(urls);
  if (!parsed.success) throw new Error('invalid Aviary configuration: AVIARY_NOTIFY_WEBHOOKS must be comma-separated http(s) URLs');
  return parsed.data.map((url, i) => webhookChannel(`webhook-${i + 1} (${new URL(url).host})`, url));
}

/** Sends to every channel at once; a failing channel is logged and never fails the caller. */
export async function notifyAll(channels: Channel[], notification: Notification, log: (line: string) => void = console.log): Promise<void> {
  const results = await Promise.allSettled(channels.map((c) => c.send(notification)));
  results.forEach((result, i) => {
    if (result.status === 'rejected') {
      log(JSON.stringify({ level: 'error', msg: 'aviary.notify.failed', channel: channels[i].name, error: result.reason instanceof Error ? result.reason.message : String(result.reason) }));
    }
  });
}
