'use client';

import { useSyncExternalStore } from 'react';

type Theme = 'light' | 'dark';

const STORAGE_KEY = 'aviary-theme';

// Applies the saved (or system) theme before first paint, so there is no flash.
const themeScript = `try{var t=localStorage.getItem('${STORAGE_KEY}');if(t==='dark'||(!t&&matchMedia('(prefers-color-scheme: dark)').matches))document.documentElement.classList.add('dark')}catch(e){}`;

/**
 * The theme script for <head>, with the CSP nonce. It runs once, while the browser parses the
 * server's HTML. When React renders it in the browser (hydration, a not-found page rendered on the
 * client) it must not be a runnable script — React warns about those — so it becomes inert
 * text/plain there; suppressHydrationWarning covers exactly that type difference.
 */
export function ThemeScript({ nonce }: { nonce: string | undefined }) {
  return (
    <script
      nonce={nonce}
      type={typeof window === 'undefined' ? 'text/javascript' : 'text/plain'}
      suppressHydrationWarning
      dangerouslySetInnerHTML={{ __html: themeScript }}
    />
  );
}

const listeners = new Set<() => void>();
const read = (): Theme => (document.documentElement.classList.contains('dark') ? 'dark' : 'light');
const subscribe = (l: () => void) => {
  listeners.add(l);
  return () => listeners.delete(l);
};

export function ThemeToggle() {
  // null on the server and during hydration: the theme is known only in the browser.
  const theme = useSyncExternalStore<Theme | null>(subscribe, read, () => null);
  const toggle = () => {
    const next: Theme = theme === 'dark' ? 'light' : 'dark';
    document.documentElement.classList.toggle('dark', next === 'dark');
    localStorage.setItem(STORAGE_KEY, next);
    for (const l of listeners) l();
  };
  return (
    <button type="button" onClick={toggle} className="rounded-md border border-slate-300 px-2 py-1 text-xs hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-sky-500 dark:border-slate-700 dark:hover:bg-slate-800" aria-label="Toggle dark mode">
      {theme === 'dark' ? '☀ Light' : '☾ Dark'}
    </button>
  );
}
