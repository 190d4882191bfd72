import { describe, expect, it, vi } from 'vitest';
import { Liveness, type Probe } from './liveness';

vi.mock('server-only', () => ({}));

const options = (clock: { t: number }) => ({ intervalMs: 2000, timeoutMs: 5000, staleAfterMs: 7000, now: () => clock.t });

describe('Liveness', () => {
  it('says the API server is not answering once no probe has succeeded for staleAfterMs, and clears on the next answer', async () => {
    const clock = { t: 0 };
    let answer: 'ok' | 'hang' = 'ok';
    const probe: Probe = (signal) =>
      answer === 'ok' ? Promise.resolve() : new Promise((_, reject) => signal.addEventListener('abort', () => reject(new Error('aborted'))));
    const changes: (string | null)[] = [];
    const live = new Liveness(probe, (e) => changes.push(e), options(clock));
    await live.probeOnce();
    expect(live.error).toBeNull();

    answer = 'hang';
    for (let s = 1; s <= 6; s++) {
      clock.t = s * 1000;
      live.tick();
    }
    // 6 s without an answer: one slow reply on a busy machine is not yet an outage.
    expect(live.error).toBeNull();
    clock.t = 7000;
    live.tick();
    expect(live.error).toBe('the API server has not answered for 7 s');
    clock.t = 9000;
    live.tick();
    expect(changes).toEqual(['the API server has not answered for 7 s']);

    answer = 'ok';
    live.stop(); // aborts the hanging probe
    await new Promise((r) => setTimeout(r, 0));
    await live.probeOnce();
    expect(live.error).toBeNull();
    expect(changes).toEqual(['the API server has not answered for 7 s', null]);
  });

  it('a failing probe (an error answer) counts the same as no answer, and never overlaps probes', async () => {
    const clock = { t: 0 };
    let calls = 0;
    const probe: Probe = () => {
      calls += 1;
      return Promise.reject(new Error('/readyz answered 500'));
    };
    const live = new Liveness(probe, () => undefined, options(clock));
    for (let s = 0; s <= 8; s++) {
      clock.t = s * 1000;
      live.tick();
      await Promise.resolve();
      await Promise.resolve();
    }
    expect(live.error).toBe("the API server has not answered for 7 s");
    // A probe every 2 s, not every tick.
    expect(calls).toBe(4); // at 2, 4, 6 and 8 s
  });
});
