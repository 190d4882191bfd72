'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { StreamSnapshot } from '@/lib/contracts/stream';
import { queryKeys, rowsById } from '@/lib/queries/workloads';

/**
 * Seeds the overview's rows from the snapshot the server already encodes for the stream (one JSON
 * string built from per-row encodings shared by every viewer): React sends one string, not a
 * thousand objects to serialize and revive, and the browser reads it with one JSON.parse and
 * validates it like any stream snapshot. Also records the snapshot's event id, where this tab's
 * stream resumes. Runs once, before its children first render (on the server too, so the first
 * screen of cards is in the HTML); when the rows are already there (the stream keeps them current,
 * e.g. coming back from a detail page) it changes nothing.
 */
export function RowsFromSnapshot({ snapshot, children }: { snapshot: string; children: ReactNode }) {
  const client = useQueryClient();
  useState(() => {
    if (client.getQueryData(queryKeys.rows) !== undefined) return null;
    const raw: unknown = JSON.parse(snapshot);
    // In the browser it is validated like every stream event; on the server it was just encoded from validated rows.
    let parsed: StreamSnapshot;
    if (typeof window === 'undefined') parsed = raw as StreamSnapshot;
    else {
      const checked = StreamSnapshot.safeParse(raw);
      if (!checked.success) {
        // Not applied: the live stream starts from a fresh snapshot of its own (no event id to resume from).
        console.warn('[aviary] the overview snapshot failed validation; loading it from the stream', checked.error);
        return null;
      }
      parsed = checked.data;
    }
    client.setQueryData(queryKeys.rows, rowsById(parsed.workloads));
    client.setQueryData(queryKeys.rowsSince, parsed.lastEventId);
    return null;
  });
  return children;
}
