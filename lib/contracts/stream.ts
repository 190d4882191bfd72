import { z } from 'zod';
import { WorkloadSummary } from './workload';

export const ClusterHealth = z.object({
  cluster: z.string(),
  connected: z.boolean(),
  staleSince: z.string().nullable(),
  lastError: z.string().nullable(),
});
export type ClusterHealthDto = z.infer<typeof ClusterHealth>;

export const StreamSnapshot = z.object({
  epoch: z.string(),
  lastEventId: z.string(),
  workloads: z.array(WorkloadSummary),
  health: z.array(ClusterHealth),
});
export type StreamSnapshot = z.infer<typeof StreamSnapshot>;

export const DeleteEvent = z.object({ id: z.string() });

/** First event of every connection: the stream is live now, whether it resumed or a snapshot follows. */
export const StreamReady = z.object({ resumed: z.boolean() });
export type StreamReady = z.infer<typeof StreamReady>;
