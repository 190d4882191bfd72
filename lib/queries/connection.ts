/** Connection state of the live stream, as a tiny external store for useSyncExternalStore. */
export type ConnectionState =
  | { status: 'connecting'; since: string }
  | {
      status: 'live';
      since: string;
      /** Something the stream recovered from on the way to live (e.g. a resync after an invalid update). */
      notice: string | null;
    }
  | {
      status: 'reconnecting';
      since: string;
      lastLiveAt: string | null;
      /** What went wrong, in words: "server answered 502", "no event for 45 s"… */
      reason: string | null;
      /** When the next attempt starts; null while an attempt is under way. */
      retryAt: string | null;
    };

type Listener = () => void;

export class ConnectionStore {
  private state: ConnectionState = { status: 'connecting', since: new Date().toISOString() };
  private lastLiveAt: string | null = null;
  private readonly listeners = new Set<Listener>();

  get = (): ConnectionState => this.state;

  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  live(notice: string | null = null): void {
    if (this.state.status === 'live' && (notice === null || notice === this.state.notice)) return;
    const since = this.state.status === 'live' ? this.state.since : new Date().toISOString();
    this.set({ status: 'live', since, notice });
  }

  /** The stream is down; `reason` says why, `retryAt` when the next attempt starts. */
  lost(reason: string | null = null, retryAt: string | null = null): void {
    if (this.state.status === 'live') this.lastLiveAt = new Date().toISOString();
    // `since` stays at the first loss: "reconnecting since" counts from when it stopped being live.
    const since = this.state.status === 'reconnecting' ? this.state.since : new Date().toISOString();
    this.set({ status: 'reconnecting', since, lastLiveAt: this.lastLiveAt, reason, retryAt });
  }

  private set(state: ConnectionState): void {
    this.state = state;
    for (const l of this.listeners) l();
  }
}
