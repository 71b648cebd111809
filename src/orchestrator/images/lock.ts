import { mkdirSync } from 'node:fs';
import { open, readFile, unlink } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { isProcessAlive as alive } from '../cleanup/liveness.ts';

/** Is the lock's owner gone (a crashed run)? Only decidable for owners on this host. */
async function stale(path: string): Promise<boolean> {
  const owner = await readFile(path, 'utf8').catch(() => undefined);
  if (owner === undefined) return false; // just released, or being written: retry
  const [pid, host] = owner.trim().split('@');
  if (!pid) return true;
  return host === hostname() && !alive(Number(pid));
}

/**
 * Run `fn` while holding a cross-process lock file under os.tmpdir(): two runs resolving
 * images at once build each image once; the second waits, then finds it present.
 */
export async function withLock<T>(key: string, fn: () => Promise<T>, timeoutMs = 30 * 60_000): Promise<T> {
  const dir = join(tmpdir(), 'pynomaly-it-locks');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${key.replace(/[^a-zA-Z0-9_.-]/g, '_')}.lock`);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(`${process.pid}@${hostname()}\n`);
      await handle.close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (await stale(path)) {
        await unlink(path).catch(() => undefined);
        continue;
      }
      if (Date.now() > deadline)
        throw new Error(
          `waited ${timeoutMs / 1000} s for the lock ${path}; remove it if no run is building images`,
        );
      await sleep(250);
    }
  }
  try {
    return await fn();
  } finally {
    await unlink(path).catch(() => undefined);
  }
}
