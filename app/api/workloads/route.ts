import { route } from '@/lib/server/http/handler';
import { runtime } from '@/lib/server/runtime';

export const dynamic = 'force-dynamic';

/** The current snapshot as JSON (what the stream's first event carries). */
export const GET = route({}, () => runtime().hub.snapshot());
