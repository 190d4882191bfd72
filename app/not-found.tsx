import Link from 'next/link';

/** Any URL with nothing behind it: an unknown path, or a workload that is not (or no longer) in a watched cluster. */
export default function NotFound() {
  return (
    <main className="mx-auto max-w-7xl px-4 py-6">
      <div className="rounded-xl border border-dashed border-slate-300 bg-white p-8 text-center dark:border-slate-700 dark:bg-slate-900" data-testid="not-found">
        <h1 className="text-lg font-semibold">Not found</h1>
        <p className="mt-2 text-sm text-slate-500">
          There is no such page, or the workload is not (or no longer) in any watched cluster.
        </p>
        <Link href="/" className="mt-4 inline-block text-sm text-sky-700 underline hover:text-sky-900 dark:text-sky-400">
          Back to the overview
        </Link>
      </div>
    </main>
  );
}
