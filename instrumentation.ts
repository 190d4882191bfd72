/** Next.js start-up hook: validate configuration and start watching before the first request. */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME === 'nodejs' && process.env.NEXT_PHASE !== 'phase-production-build') {
    const { startRuntime } = await import('@/lib/server/start');
    startRuntime();
  }
}
