/** Running the real CLI against the real engine, and asking the engine what is left of a run. */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';

export const repoRoot = join(import.meta.dirname, '../..');
export const RUN_LABEL = 'pynomaly-it.run';

export interface CliRun {
  child: ChildProcess;
  output: () => string;
  done: Promise<number | null>;
  reports: string;
  /** Resolves with the run's ID once the CLI logged it. */
  runId: Promise<string>;
}

/** Optional: a prebuilt service image for these tests (else the CLI builds it from containers/). */
const imageArgs = process.env.PYNOMALY_IT_TEST_IMAGE ? ['--image', process.env.PYNOMALY_IT_TEST_IMAGE] : [];

export function runCli(args: string[], env: Record<string, string> = {}): CliRun {
  const scratch = mkdtempSync(join(tmpdir(), 'pit-engine-cli-'));
  onTestFinished(() => rmSync(scratch, { recursive: true, force: true }));
  const reports = join(scratch, 'reports');
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'test/engine/fixtures/cli-with-fixture-suites.ts',
      ...args,
      ...imageArgs,
      '--reports-dir',
      reports,
    ],
    {
      cwd: repoRoot,
      env: {
        ...process.env,
        CI: 'true',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  let resolveRunId!: (id: string) => void;
  const runId = new Promise<string>((resolve) => {
    resolveRunId = resolve;
  });
  const onData = (d: Buffer) => {
    output += d;
    const m = /"runId":"([^"]+)"/.exec(output);
    if (m) resolveRunId(m[1]);
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const done = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, done, reports, runId };
}

function docker(args: string[]): string[] {
  return execFileSync('docker', args, { encoding: 'utf8' }).split('\n').filter(Boolean);
}

/** Containers, networks and volumes carrying the run's label. */
export function resourcesOf(runId: string): string[] {
  const filter = `label=${RUN_LABEL}=${runId}`;
  return [
    ...docker(['ps', '-a', '-q', '--filter', filter]).map((id) => `container ${id}`),
    ...docker(['network', 'ls', '-q', '--filter', filter]).map((id) => `network ${id}`),
    ...docker(['volume', 'ls', '-q', '--filter', filter]).map((id) => `volume ${id}`),
  ];
}

export { until } from '../support/until.ts';
