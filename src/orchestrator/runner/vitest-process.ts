import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { PARENT_PID_ENV } from './orphan-guard.ts';
import { PROGRESS_FD_ENV, type ProgressEvent, parseProgressChunk } from './progress-events.ts';
import { type SupervisedExit, supervise } from './supervise.ts';

export interface VitestProcessOptions {
  cwd: string;
  args: string[];
  env: Record<string, string>;
  /** Console output of vitest goes here. */
  logFile: string;
  timeoutMs: number;
  graceMs: number;
  signal: AbortSignal;
  onProgress: (event: ProgressEvent) => void;
  /** Called with the child's PID once it runs (its process group ID too). */
  onSpawn?: (pid: number) => void;
}

function vitestEntry(cwd: string): string {
  const require = createRequire(join(cwd, 'package.json'));
  return join(dirname(require.resolve('vitest/package.json')), 'vitest.mjs');
}

/**
 * Runs vitest in its own process group (detached), so a timeout or Ctrl-C stops the whole
 * group — vitest and its workers — by PGID, never by name.
 */
export async function runVitestProcess(options: VitestProcessOptions): Promise<SupervisedExit> {
  const log = createWriteStream(options.logFile);
  await once(log, 'open');
  const child = spawn(process.execPath, [vitestEntry(options.cwd), ...options.args], {
    cwd: options.cwd,
    detached: true,
    env: {
      ...process.env,
      ...options.env,
      [PROGRESS_FD_ENV]: '3',
      [PARENT_PID_ENV]: String(process.pid),
      FORCE_COLOR: '0',
      NO_COLOR: '1',
    },
    stdio: ['ignore', log, log, 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : null)));
    child.once('error', () => resolve(null));
  });
  if (child.pid) options.onSpawn?.(child.pid);

  let buffer = '';
  (child.stdio[3] as Readable | null)?.setEncoding('utf8').on('data', (chunk: string) => {
    const parsed = parseProgressChunk(buffer + chunk);
    buffer = parsed.rest;
    for (const event of parsed.events) options.onProgress(event);
  });

  const killGroup = (signal: NodeJS.Signals) => {
    if (!child.pid) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      // The group is already gone.
    }
  };
  try {
    return await supervise(
      { kill: killGroup, exited },
      { timeoutMs: options.timeoutMs, graceMs: options.graceMs, signal: options.signal },
    );
  } finally {
    // Workers that outlived vitest's main process belong to the group too.
    killGroup('SIGKILL');
    log.end();
  }
}
