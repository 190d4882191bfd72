import { z } from 'zod';
import { WorkloadRow } from './overview';

export const ClusterHealth = z.object({
  cluster: z.string(),
  connected: z.boolean(),
  staleSince: z.string().nullable(),
  lastError: z.string().nullable(),
});
export type ClusterHealthDto = z.infer<typeof ClusterHealth>;

/** First data of a connection (and of /api/workloads): one small row per workload the viewer may read. */
export const StreamSnapshot = z.object({
  epoch: z.string(),
  lastEventId: z.string(),
  workloads: z.array(WorkloadRow),
  health: z.array(ClusterHealth),
});
export type StreamSnapshot = z.infer<typeof StreamSnapshot>;

export const DeleteEvent = z.object({ id: z.string() });

/** First event of every connection: the stream is live now, whether it resumed or a snapshot follows. */
export const StreamReady = z.object({ resumed: z.boolean() });
export type StreamReady = z.infer<typeof StreamReady>;

/** How many open workloads one stream may ask full detail for (`?watch=id&watch=id`). */
export const MAX_WATCHED = 8;
export const WatchIds = z.array(z.string().min(1).max(400)).max(MAX_WATCHED);
