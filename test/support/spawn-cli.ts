/**
 * The CLI as a user runs it, in a child process: `entry` (a CLI over a fake or the real core)
 * with `args`, CI=true, its output gathered, and a scratch folder per test (reports and the
 * fixture suites' marker) removed when the test ends.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';

export const repoRoot = join(import.meta.dirname, '../..');

export interface SpawnedCli {
  child: ChildProcess;
  output: () => string;
  done: Promise<number | null>;
  /** The test's own folder; `reports` is inside it. */
  scratch: string;
  reports: string;
  /** Whether a fixture suite's long test has begun (test/engine/fixtures/cli-suites/streaming). */
  testStarted: () => boolean;
}

export function spawnCli(
  entry: string,
  args: readonly string[],
  /** Extra environment; a function gets the scratch folder first. */
  env: Record<string, string> | ((scratch: string) => Record<string, string>) = {},
  onOutput: (all: string) => void = () => {},
): SpawnedCli {
  const scratch = mkdtempSync(join(tmpdir(), 'pit-cli-'));
  onTestFinished(() => rmSync(scratch, { recursive: true, force: true }));
  const reports = join(scratch, 'reports');
  const started = join(scratch, 'suite-test-started');
  const child = spawn(process.execPath, ['--import', 'tsx', entry, ...args, '--reports-dir', reports], {
    cwd: repoRoot,
    env: {
      ...process.env,
      CI: 'true',
      PYNOMALY_IT_FIXTURE_STARTED_FILE: started,
      ...(typeof env === 'function' ? env(scratch) : env),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const gather = (d: Buffer) => {
    output += d;
    onOutput(output);
  };
  child.stdout!.on('data', gather);
  child.stderr!.on('data', gather);
  const done = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, done, scratch, reports, testStarted: () => existsSync(started) };
}
