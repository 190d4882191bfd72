'use client';

import { useWindowVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useState, useSyncExternalStore, type ReactNode } from 'react';

/** Below this many workloads every card is rendered (and server-rendered); above it, only what is on screen. */
export const VIRTUALIZE_AT = 60;

/**
 * The first render — on the server and when the browser hydrates it — lays out a first screen
 * (this tall, from the top) without measuring anything: the server's HTML already shows the first
 * cards, before any JavaScript runs, and the browser's first render matches it. Once mounted the
 * virtualizer measures the real window and scroll position.
 */
const FIRST_SCREEN = { initialRect: { width: 0, height: 1080 }, initialOffset: 0 };

const subscribeResize = (onChange: () => void) => {
  window.addEventListener('resize', onChange);
  return () => window.removeEventListener('resize', onChange);
};

/** The grid's column count at Tailwind's breakpoints (grid-cols-1 sm:2 lg:3 xl:4); 1 on the server. */
export function useGridColumns(): number {
  return useSyncExternalStore(
    subscribeResize,
    () => {
      const w = window.innerWidth;
      return w >= 1280 ? 4 : w >= 1024 ? 3 : w >= 640 ? 2 : 1;
    },
    () => 1,
  );
}

/** Where the list starts on the page, for the window virtualizer's scroll margin (measured once mounted). */
function useOffsetTop(): [number, (node: HTMLElement | null) => void] {
  const [top, setTop] = useState(0);
  const ref = useCallback((node: HTMLElement | null) => {
    if (node) setTop(node.getBoundingClientRect().top + window.scrollY);
  }, []);
  return [top, ref];
}

/**
 * A window-scrolled list of rows of `columns` items: only the rows near the viewport are in the
 * DOM (measured as they render, so cards of different heights stack right).
 */
export function VirtualGrid<T>({ items, columns, estimate, gapPx, render, rowClassName }: { items: T[]; columns: number; estimate: number; gapPx: number; render: (item: T) => ReactNode; rowClassName: string }) {
  const [top, ref] = useOffsetTop();
  const rows = Math.ceil(items.length / columns);
  const virtualizer = useWindowVirtualizer({ count: rows, estimateSize: () => estimate + gapPx, overscan: 4, scrollMargin: top, ...FIRST_SCREEN });
  const virtualRows = virtualizer.getVirtualItems();
  return (
    <div ref={ref} data-testid="virtual-list" data-rows={rows} style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
      {virtualRows.map((row) => (
        <div
          key={row.key}
          data-index={row.index}
          ref={virtualizer.measureElement}
          className={rowClassName}
          style={{ position: 'absolute', top: 0, left: 0, width: '100%', paddingBottom: gapPx, transform: `translateY(${row.start - virtualizer.options.scrollMargin}px)` }}
        >
          {items.slice(row.index * columns, row.index * columns + columns).map(render)}
        </div>
      ))}
    </div>
  );
}

/** Table body rows near the viewport, with spacer rows above and below keeping the scroll height. */
export function useVirtualTableRows(count: number, rowHeight: number) {
  const [top, ref] = useOffsetTop();
  const virtualizer = useWindowVirtualizer({ count, estimateSize: () => rowHeight, overscan: 10, scrollMargin: top, ...FIRST_SCREEN });
  const items = virtualizer.getVirtualItems();
  const first = items[0];
  const last = items.at(-1);
  const before = first ? first.start - virtualizer.options.scrollMargin : 0;
  const after = last ? virtualizer.getTotalSize() - (last.end - virtualizer.options.scrollMargin) : 0;
  return { ref, indexes: items.map((i) => i.index), before, after, measure: virtualizer.measureElement };
}
