import { describe, expect, it, vi } from 'vitest';

vi.mock('server-only', () => ({}));

import { NamespaceAccess, type NamespaceReads, type Subject } from './access';

const victor: Subject = { user: 'victor', groups: ['viewers'] };
const yes: NamespaceReads = { rollouts: true, deployments: true };

function setup(answer: (ns: string) => NamespaceReads = () => yes) {
  let clock = 1_000_000;
  const review = vi.fn((_cluster: string, _subject: Subject, namespace: string) => Promise.resolve(answer(namespace)));
  const access = new NamespaceAccess(review, 30_000, () => clock);
  return { access, review, advance: (ms: number) => (clock += ms) };
}

describe('NamespaceAccess', () => {
  it('asks the cluster once per (cluster, user, groups, namespace) within the 30 s TTL', async () => {
    const { access, review, advance } = setup();
    await access.reads('c', victor, 'shop');
    await access.reads('c', { user: 'victor', groups: ['viewers'] }, 'shop');
    advance(29_000);
    await access.reads('c', victor, 'shop');
    expect(review).toHaveBeenCalledTimes(1);
    await access.reads('c', victor, 'search');
    await access.reads('c', { user: 'victor', groups: ['viewers', 'oncall'] }, 'shop');
    await access.reads('other', victor, 'shop');
    expect(review).toHaveBeenCalledTimes(4);
  });

  it('asks again after the TTL, and shares one review between concurrent callers', async () => {
    const { access, review, advance } = setup();
    await Promise.all([access.reads('c', victor, 'shop'), access.reads('c', victor, 'shop')]);
    expect(review).toHaveBeenCalledTimes(1);
    advance(30_001);
    await access.reads('c', victor, 'shop');
    expect(review).toHaveBeenCalledTimes(2);
  });

  it('peek answers "nothing" until the first decision, keeps the last one while refreshing, and reports changes', async () => {
    let allowed = true;
    const { access, advance } = setup(() => (allowed ? yes : { rollouts: false, deployments: false }));
    const changed = vi.fn();
    access.onChange(changed);
    expect(access.peek('c', victor, 'shop')).toEqual({ rollouts: false, deployments: false });
    await access.reads('c', victor, 'shop');
    expect(changed).toHaveBeenCalledTimes(1);
    expect(access.peek('c', victor, 'shop')).toEqual(yes);
    allowed = false;
    advance(31_000);
    expect(access.peek('c', victor, 'shop')).toEqual(yes);
    await access.reads('c', victor, 'shop');
    expect(access.peek('c', victor, 'shop').rollouts).toBe(false);
    expect(changed).toHaveBeenCalledTimes(2);
  });

  it('fails closed on a review error and does not cache it', async () => {
    const review = vi.fn().mockRejectedValueOnce(new Error('apiserver away')).mockResolvedValue(yes);
    const access = new NamespaceAccess(review);
    expect(await access.reads('c', victor, 'shop')).toEqual({ rollouts: false, deployments: false });
    expect(await access.reads('c', victor, 'shop')).toEqual(yes);
  });
});
