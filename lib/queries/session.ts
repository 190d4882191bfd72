/**
 * Whether this tab's session has ended: any API answer of 401 (the stream included) says so once,
 * and the header shows a banner to sign in again. Nothing reloads: the page keeps what it shows.
 */
type Listener = () => void;

export class SessionStore {
  private ended = false;
  private readonly listeners = new Set<Listener>();

  get = (): boolean => this.ended;

  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Reports one HTTP status: 401 ends the session; a success after it means it is back (signed in in another tab). */
  observe(status: number): void {
    if (status === 401) this.set(true);
    else if (status >= 200 && status < 300) this.set(false);
  }

  private set(ended: boolean): void {
    if (this.ended === ended) return;
    this.ended = ended;
    for (const l of this.listeners) l();
  }
}

export const session = new SessionStore();

/** fetch for every API call of the browser: a 401 marks the session as ended. */
export async function apiFetch(input: string, init?: RequestInit): Promise<Response> {
  const res = await fetch(input, init);
  session.observe(res.status);
  return res;
}

/** Where "sign in again" leads: back to exactly this page (path and query) afterwards. */
export function signInHref(location: { pathname: string; search: string }): string {
  return `/auth/login?returnTo=${encodeURIComponent(location.pathname + location.search)}`;
}
