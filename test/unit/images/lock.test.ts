import { mkdirSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { withLock } from '../../../src/orchestrator/images/lock.ts';

const key = () => `unit-${process.pid}-${Math.random().toString(36).slice(2)}`;

describe('the image lock', () => {
  test('holders of one key take turns; the second starts after the first ended', async () => {
    const k = key();
    const order: string[] = [];
    let releaseFirst!: () => void;
    const first = withLock(k, async () => {
      order.push('first in');
      await new Promise<void>((resolve) => {
        releaseFirst = resolve;
      });
      order.push('first out');
    });
    await expect.poll(() => order).toEqual(['first in']);
    const second = withLock(k, async () => void order.push('second in'));
    releaseFirst();
    await Promise.all([first, second]);
    expect(order).toEqual(['first in', 'first out', 'second in']);
  });

  test('a lock left by a dead run (not refreshed) is taken over', async () => {
    const k = key();
    const lockDir = join(tmpdir(), 'pynomaly-it-locks', `${k}.lock`);
    mkdirSync(lockDir, { recursive: true });
    const old = new Date(Date.now() - 120_000);
    utimesSync(lockDir, old, old);
    expect(await withLock(k, async () => 'ran', 5_000)).toBe('ran');
  });

  test('a live holder past the deadline: an error that names the lock and the fix', async () => {
    const k = key();
    let releaseFirst!: () => void;
    const first = withLock(k, () => new Promise<void>((resolve) => (releaseFirst = resolve)));
    await new Promise((resolve) => setImmediate(resolve));
    await expect
      .poll(async () => {
        try {
          await withLock(k, async () => undefined, 300);
          return 'acquired';
        } catch (error) {
          return (error as Error).message;
        }
      })
      .toMatch(/waited \d+ s for the lock .*\.lock .*remove it if no run is building images/);
    releaseFirst();
    await first;
  });
});
