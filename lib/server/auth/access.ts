import 'server-only';

/** Who a decision is about: the person and their groups, exactly as the cluster is asked about them. */
export interface Subject {
  user: string;
  groups: string[];
}

/** What a person may read in one namespace of one cluster: Rollouts and Deployments separately. */
export interface NamespaceReads {
  rollouts: boolean;
  deployments: boolean;
}

/** Asks the cluster (a SubjectAccessReview as Aviary) what `subject` may list in `namespace`. */
export type ReadReviewer = (cluster: string, subject: Subject, namespace: string) => Promise<NamespaceReads>;

interface Entry {
  reads: NamespaceReads | null;
  expiresAt: number;
  pending: Promise<NamespaceReads> | null;
}

const NONE: NamespaceReads = { rollouts: false, deployments: false };
const same = (a: NamespaceReads | null, b: NamespaceReads) => a !== null && a.rollouts === b.rollouts && a.deployments === b.deployments;

export function subjectKey(subject: Subject): string {
  return JSON.stringify([subject.user, [...subject.groups].sort()]);
}

/**
 * One shared cache of read decisions per (cluster, user, groups, namespace), kept `ttlMs` (30 s):
 * every viewer's stream is filtered from it, so a page open all day asks the cluster at most twice a
 * minute per namespace, and a revoked RoleBinding takes effect within the TTL. A decision past its
 * TTL is still used while a fresh one is asked for (the stream filter must answer synchronously);
 * listeners hear when a decision changes, and resync the streams it concerns. A failed review
 * counts as "may not read" and is not cached.
 */
export class NamespaceAccess {
  private readonly entries = new Map<string, Entry>();
  private readonly listeners = new Set<(subject: string) => void>();

  constructor(
    private readonly review: ReadReviewer,
    private readonly ttlMs = 30_000,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /** Called with subjectKey(subject) whenever one of that subject's decisions changes. */
  onChange(listener: (subject: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private key(cluster: string, subject: Subject, namespace: string): string {
    return JSON.stringify([cluster, subjectKey(subject), namespace]);
  }

  /** A fresh decision (asking the cluster when there is none within the TTL); concurrent callers share one review. */
  async reads(cluster: string, subject: Subject, namespace: string): Promise<NamespaceReads> {
    const key = this.key(cluster, subject, namespace);
    const entry = this.entries.get(key);
    if (entry?.reads && entry.expiresAt > this.now()) return entry.reads;
    if (entry?.pending) return entry.pending;
    const current: Entry = entry ?? { reads: null, expiresAt: 0, pending: null };
    const pending = this.review(cluster, subject, namespace).then(
      (reads) => {
        const changed = !same(current.reads, reads);
        current.reads = reads;
        current.expiresAt = this.now() + this.ttlMs;
        current.pending = null;
        if (changed) for (const listener of this.listeners) listener(subjectKey(subject));
        return reads;
      },
      () => {
        current.pending = null;
        return current.reads ?? NONE;
      },
    );
    current.pending = pending;
    this.entries.set(key, current);
    return pending;
  }

  /**
   * The decision the stream filter can use right now: the last one known (even past its TTL, while
   * a fresh one is asked for), or "nothing" until the first answer arrives.
   */
  peek(cluster: string, subject: Subject, namespace: string): NamespaceReads {
    const entry = this.entries.get(this.key(cluster, subject, namespace));
    if (!entry || entry.expiresAt <= this.now()) void this.reads(cluster, subject, namespace);
    return entry?.reads ?? NONE;
  }

  /** Drops decisions long past their TTL (people who left), so the map does not grow forever. */
  prune(): void {
    const cutoff = this.now() - 10 * this.ttlMs;
    for (const [key, entry] of this.entries) if (!entry.pending && entry.expiresAt < cutoff) this.entries.delete(key);
  }
}
