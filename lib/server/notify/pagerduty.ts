import 'server-only';
import type { PagerDutyEvent } from '@/lib/rollouts/incidents';
import { postJson, type Delivery, type RetryOptions } from './channel';

/** PagerDuty's Events API v2 endpoint (the default of AVIARY_PAGERDUTY_EVENTS_URL). */
export const PAGERDUTY_EVENTS_URL = 'https://events.pagerduty.com/v2/enqueue';

export interface PagerDutySender {
  name: string;
  send(event: PagerDutyEvent): Promise<Delivery>;
}

/**
 * The Events API v2 (`POST /v2/enqueue`): 202 accepted; 400 a bad event (not retried: sending the
 * same body again cannot help); 429 and 5xx retried with backoff as every channel is. The URL comes
 * from configuration only; the routing key is inside the event and never logged.
 */
export function pagerDutySender(url: string = PAGERDUTY_EVENTS_URL, retry: Partial<RetryOptions> = {}): PagerDutySender {
  const name = `pagerduty (${new URL(url).host})`;
  return {
    name,
    send: (event) => postJson(name, url, JSON.stringify(event), retry),
  };
}
