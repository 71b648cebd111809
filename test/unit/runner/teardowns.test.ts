import { describe, expect, test, vi } from 'vitest';
import type { Logger } from '../../../src/orchestrator/logging/logger.ts';
import { BackgroundTeardowns } from '../../../src/orchestrator/runner/teardowns.ts';
import type { SuiteJob } from '../../../src/orchestrator/scheduler/types.ts';

const job = (id: string) => ({ id }) as SuiteJob;

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((res) => {
    resolve = res;
  });
  return { promise, resolve };
}

describe('background teardowns', () => {
  test('settled waits for every stop handed in, and each job gets its stop time', async () => {
    const teardowns = new BackgroundTeardowns({ warn: vi.fn() } as unknown as Logger);
    const a = deferred();
    const b = deferred();
    const [ja, jb] = [job('a'), job('b')];
    teardowns.add(ja, () => a.promise);
    teardowns.add(jb, () => b.promise);
    let settled = false;
    const waiting = teardowns.settled().then(() => {
      settled = true;
    });
    a.resolve();
    await a.promise;
    await Promise.resolve();
    expect(settled, 'one stop still running: not settled').toBe(false);
    expect(teardowns.durationOf(jb), 'no time before its stop ends').toBeUndefined();
    b.resolve();
    await waiting;
    expect(teardowns.durationOf(ja)).toBeGreaterThanOrEqual(0);
    expect(teardowns.durationOf(jb)).toBeGreaterThanOrEqual(0);
  });

  test('a failed stop is logged with its job, not thrown, and still settles', async () => {
    const warn = vi.fn();
    const teardowns = new BackgroundTeardowns({ warn } as unknown as Logger);
    teardowns.add(job('security'), () => Promise.reject(new Error('engine gone')));
    await expect(teardowns.settled()).resolves.toBeUndefined();
    expect(warn).toHaveBeenCalledWith(
      expect.stringMatching(/^security: removing its stack failed \(engine gone\)/),
    );
  });

  test('with nothing handed in, settled returns at once', async () => {
    await expect(
      new BackgroundTeardowns({ warn: vi.fn() } as unknown as Logger).settled(),
    ).resolves.toBeUndefined();
  });
});
