import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { supervise } from '../../../src/orchestrator/runner/supervise.ts';

/** A fake child: records signals; exits when told, or on the signals it honours. */
function fakeChild(honours: NodeJS.Signals[]) {
  const signals: { signal: NodeJS.Signals; at: number }[] = [];
  let exit!: (code: number | null) => void;
  const exited = new Promise<number | null>((resolve) => {
    exit = resolve;
  });
  return {
    signals,
    exit,
    child: {
      exited,
      kill(signal: NodeJS.Signals) {
        signals.push({ signal, at: Date.now() });
        if (honours.includes(signal)) exit(signal === 'SIGKILL' ? 137 : 143);
      },
    },
  };
}

describe('supervise (timeouts with fake timers)', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  test('a child that ends in time is left alone', async () => {
    const f = fakeChild(['SIGTERM']);
    const done = supervise(f.child, { timeoutMs: 1000, graceMs: 5000 });
    await vi.advanceTimersByTimeAsync(500);
    f.exit(0);
    await expect(done).resolves.toEqual({ outcome: 'exited', code: 0 });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(f.signals).toEqual([]);
  });

  test('past the timeout: SIGTERM, and the outcome is timed_out', async () => {
    const f = fakeChild(['SIGTERM']);
    const done = supervise(f.child, { timeoutMs: 1000, graceMs: 5000 });
    await vi.advanceTimersByTimeAsync(1000);
    await expect(done).resolves.toEqual({ outcome: 'timed_out', code: 143 });
    expect(f.signals).toEqual([{ signal: 'SIGTERM', at: 1000 }]);
  });

  test('a child that ignores SIGTERM gets SIGKILL after the grace period', async () => {
    const f = fakeChild(['SIGKILL']);
    const done = supervise(f.child, { timeoutMs: 1000, graceMs: 5000 });
    await vi.advanceTimersByTimeAsync(5999);
    expect(f.signals.map((s) => s.signal)).toEqual(['SIGTERM']);
    await vi.advanceTimersByTimeAsync(1);
    await expect(done).resolves.toEqual({ outcome: 'timed_out', code: 137 });
    expect(f.signals).toEqual([
      { signal: 'SIGTERM', at: 1000 },
      { signal: 'SIGKILL', at: 6000 },
    ]);
  });

  test('an abort (Ctrl-C) stops the child before its timeout, as aborted', async () => {
    const f = fakeChild(['SIGTERM']);
    const controller = new AbortController();
    const done = supervise(f.child, { timeoutMs: 60_000, graceMs: 5000, signal: controller.signal });
    await vi.advanceTimersByTimeAsync(100);
    controller.abort();
    await expect(done).resolves.toEqual({ outcome: 'aborted', code: 143 });
    expect(f.signals).toEqual([{ signal: 'SIGTERM', at: 100 }]);
  });

  test('already aborted: stopped at once', async () => {
    const f = fakeChild(['SIGTERM']);
    const controller = new AbortController();
    controller.abort();
    await expect(
      supervise(f.child, { timeoutMs: 60_000, graceMs: 5000, signal: controller.signal }),
    ).resolves.toEqual({
      outcome: 'aborted',
      code: 143,
    });
  });
});
