/**
 * The full hermetic run with warm images: wall time, and per suite how much went to starting
 * and stopping its stack versus running its tests (from the run's own record).
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { timed } from './lib/process.ts';
import { round } from './lib/stats.ts';

interface Result {
  job: { id: string };
  status: string;
  durationMs: number;
  phases: { stackMs?: number; testsMs?: number; teardownMs?: number };
}

export async function benchFullRun(extraArgs: readonly string[] = []) {
  const dir = await mkdtemp(join(tmpdir(), 'pit-bench-run-'));
  const r = await timed('npx', ['tsx', 'src/orchestrator/cli.ts', 'run', '--reports-dir', dir, ...extraArgs]);
  const record = JSON.parse(await readFile(join(dir, 'run.json'), 'utf8')) as {
    results: Result[];
    exitCode: number;
  };
  const suites = Object.fromEntries(
    record.results.map((s) => {
      const stack = (s.phases.stackMs ?? 0) + (s.phases.teardownMs ?? 0);
      return [
        s.job.id,
        {
          status: s.status,
          seconds: round(s.durationMs / 1000, 1),
          stackStartStopSeconds: round(stack / 1000, 1),
          testsSeconds: round((s.phases.testsMs ?? 0) / 1000, 1),
          stackShare: round(stack / Math.max(1, s.durationMs)),
        },
      ];
    }),
  );
  return { wallSeconds: round(r.ms / 1000, 1), exitCode: record.exitCode, reportsDir: dir, suites };
}
