/** Connection state of the live stream, as a tiny external store for useSyncExternalStore. */
export type ConnectionState =
  | { status: 'connecting'; since: string }
  | { status: 'live'; since: string }
  | { status: 'reconnecting'; since: string; lastLiveAt: string | null };

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

  live(): void {
    if (this.state.status === 'live') return;
    this.set({ status: 'live', since: new Date().toISOString() });
  }

  lost(): void {
    if (this.state.status === 'live') this.lastLiveAt = new Date().toISOString();
    if (this.state.status === 'reconnecting') return;
    this.set({ status: 'reconnecting', since: new Date().toISOString(), lastLiveAt: this.lastLiveAt });
  }

  private set(state: ConnectionState): void {
    this.state = state;
    for (const l of this.listeners) l();
  }
}
