// @vitest-environment jsdom
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { toRow } from '@/lib/contracts/overview';
import { queryKeys, type RowsById } from '@/lib/queries/workloads';
import { deriveFixture } from '@/test/fixtures';
import { RowsFromSnapshot } from './rows-from-snapshot';

const row = toRow(deriveFixture('canary-healthy'));
const snapshot = (rows: unknown[]) => JSON.stringify({ epoch: 'e', lastEventId: 'e:7', workloads: rows, health: [] });

function mount(client: QueryClient, text: string) {
  return render(
    <QueryClientProvider client={client}>
      <RowsFromSnapshot snapshot={text}>
        <p>child</p>
      </RowsFromSnapshot>
    </QueryClientProvider>,
  );
}

describe('RowsFromSnapshot', () => {
  it('seeds the rows by id and the event id the stream resumes from, before its children render', () => {
    const client = new QueryClient();
    expect(mount(client, snapshot([row])).getByText('child')).toBeTruthy();
    expect(Object.keys(client.getQueryData<RowsById>(queryKeys.rows) ?? {})).toEqual([row.id]);
    expect(client.getQueryData(queryKeys.rowsSince)).toBe('e:7');
  });

  it('leaves rows the stream already keeps alone', () => {
    const client = new QueryClient();
    const current = { [row.id]: { ...row, phase: 'Degraded' as const } };
    client.setQueryData(queryKeys.rows, current);
    mount(client, snapshot([row]));
    expect(client.getQueryData(queryKeys.rows)).toBe(current);
    expect(client.getQueryData(queryKeys.rowsSince)).toBeUndefined();
  });

  it('does not apply a snapshot that fails validation (the stream loads its own), and says so', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const client = new QueryClient();
    mount(client, snapshot([{ ...row, phase: 'Exploded' }]));
    expect(client.getQueryData(queryKeys.rows)).toBeUndefined();
    expect(client.getQueryData(queryKeys.rowsSince)).toBeUndefined();
    expect(warn).toHaveBeenCalledTimes(1);
    warn.mockRestore();
  });
});
