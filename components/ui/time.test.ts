import { describe, expect, it } from 'vitest';
import { formatAgo, formatCountdown } from './time';

const now = Date.parse('2026-11-22T10:00:00Z');
const before = (seconds: number) => new Date(now - seconds * 1000).toISOString();
const after = (seconds: number) => new Date(now + seconds * 1000).toISOString();

describe('formatAgo', () => {
  it('is relative, in words, in the given locale', () => {
    expect(formatAgo(before(0), now, 'en')).toBe('now');
    expect(formatAgo(before(42), now, 'en')).toBe('42 seconds ago');
    expect(formatAgo(before(3 * 60 + 10), now, 'en')).toBe('3 minutes ago');
    expect(formatAgo(before(60), now, 'en')).toBe('1 minute ago');
    expect(formatAgo(before(2 * 3600 + 59 * 60), now, 'en')).toBe('2 hours ago');
    expect(formatAgo(before(86400), now, 'en')).toBe('yesterday');
    expect(formatAgo(before(3 * 86400), now, 'en')).toBe('3 days ago');
    expect(formatAgo(before(3 * 60), now, 'de')).toBe('vor 3 Minuten');
    expect(formatAgo(before(2 * 3600), now, 'fr')).toBe('il y a 2 heures');
  });

  it('never says "in …" for a time a little in the future (clock skew), and a missing time is a dash', () => {
    expect(formatAgo(after(5), now, 'en')).toBe('now');
    expect(formatAgo(null, now, 'en')).toBe('—');
  });

  it('never contains an ISO timestamp', () => {
    expect(formatAgo(before(5000), now, 'en')).not.toMatch(/\d{4}-\d\d-\d\dT/);
  });
});

describe('formatCountdown', () => {
  it('is m:ss under an hour: "0:42"', () => {
    expect(formatCountdown(after(42), now)).toBe('0:42');
    expect(formatCountdown(after(5), now)).toBe('0:05');
    expect(formatCountdown(after(15 * 60 + 3), now)).toBe('15:03');
  });

  it('is h:mm:ss past an hour and stops at 0:00 once passed', () => {
    expect(formatCountdown(after(3600 + 2 * 60 + 9), now)).toBe('1:02:09');
    expect(formatCountdown(after(0), now)).toBe('0:00');
    expect(formatCountdown(before(30), now)).toBe('0:00');
  });

  it('rounds to the nearest second (a tick 400 ms early still shows the same second)', () => {
    expect(formatCountdown(new Date(now + 41_600).toISOString(), now)).toBe('0:42');
  });
});
