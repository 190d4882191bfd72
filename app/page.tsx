export default function OverviewPage() {
  return (
    <main className="mx-auto max-w-5xl p-8">
      <h1 className="text-2xl font-semibold">Aviary</h1>
      <p className="mt-2 text-slate-600 dark:text-slate-400">Live progressive delivery dashboard.</p>
    </main>
  );
}
