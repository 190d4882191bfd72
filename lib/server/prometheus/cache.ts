import 'server-only';

/**
 * A small TTL cache that coalesces concurrent loads: any number of viewers asking for the same
 * (query, window, step) at once cost one upstream request.
 */
export class CoalescingCache<V> {
  private readonly entries = new Map<string, { value: V; expires: number }>();
  private readonly inflight = new Map<string, Promise<V>>();
  readonly stats = { hits: 0, misses: 0, coalesced: 0 };

  /** How many answers are held (expired ones are dropped as new ones arrive). */
  get size(): number {
    return this.entries.size;
  }

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 1000,
    private readonly now: () => number = Date.now,
  ) {}

  async get(key: string, load: () => Promise<V>): Promise<V> {
    const entry = this.entries.get(key);
    if (entry && entry.expires > this.now()) {
      this.stats.hits += 1;
      return entry.value;
    }
    const pending = this.inflight.get(key);
    if (pending) {
      this.stats.coalesced += 1;
      return pending;
    }
    this.stats.misses += 1;
    const promise = load()
      .then((value) => {
        // Re-inserted at the end: entries then expire in map order (one TTL for all), so the expired
        // ones are dropped from the front here — the cache holds what is fresh, not the last
        // `maxEntries` windows (keys move on with every step: thousands of large answers otherwise).
        this.entries.delete(key);
        this.entries.set(key, { value, expires: this.now() + this.ttlMs });
        for (const [k, e] of this.entries) {
          if (e.expires > this.now()) break;
          this.entries.delete(k);
        }
        if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
        return value;
      })
      .finally(() => this.inflight.delete(key));
    this.inflight.set(key, promise);
    return promise;
  }
}
