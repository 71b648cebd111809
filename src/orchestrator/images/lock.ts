import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import lockfile from 'proper-lockfile';

/** A held lock is refreshed every STALE_MS / 2; one not refreshed for STALE_MS (its run died) is taken over. */
const STALE_MS = 20_000;

/**
 * Run `fn` while holding a cross-process lock (proper-lockfile) under os.tmpdir(): two runs
 * resolving images at once build each image once; the second waits, then finds it present.
 */
export async function withLock<T>(key: string, fn: () => Promise<T>, timeoutMs = 30 * 60_000): Promise<T> {
  const dir = join(tmpdir(), 'pynomaly-it-locks');
  mkdirSync(dir, { recursive: true });
  const target = join(dir, key.replace(/[^a-zA-Z0-9_.-]/g, '_'));
  // proper-lockfile locks an existing file (it adds `<file>.lock` beside it).
  writeFileSync(target, '', { flag: 'a' });
  const started = Date.now();
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(target, {
      stale: STALE_MS,
      realpath: false,
      // About every 250 ms for as long as the wait may last.
      retries: { retries: Math.ceil(timeoutMs / 250), factor: 1, minTimeout: 250, maxTimeout: 250 },
    });
  } catch (error) {
    throw new Error(
      `waited ${Math.round((Date.now() - started) / 1000)} s for the lock ${target}.lock (${(error as Error).message}); remove it if no run is building images`,
    );
  }
  try {
    return await fn();
  } finally {
    await release().catch(() => undefined);
  }
}
