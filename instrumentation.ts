/** Next.js start-up hook: validate configuration and start watching before the first request. */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs' || process.env.NEXT_PHASE === 'phase-production-build') return;
  const { runtime } = await import('@/lib/server/runtime');
  try {
    runtime();
  } catch (error) {
    console.error(`aviary: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
