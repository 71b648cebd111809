/**
 * The full hermetic run (`it:hermetic`) with warm images: wall time, and per suite how much went
 * to starting and stopping its stack versus running its tests, from the run's own record
 * (run.json: each suite's durationMs and phases stackMs / testsMs / teardownMs; the rest of a
 * suite's time is logs, coverage and reports, "other").
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SuiteResult } from '../src/orchestrator/scheduler/types.ts';
import { timed } from './lib/process.ts';
import type { FullRunFigures, SuitePhases } from './lib/results.ts';
import { round } from './lib/stats.ts';

/** A suite's entry in run.json, as the run wrote it. */
type RecordedSuite = Pick<SuiteResult, 'status' | 'durationMs' | 'phases'> & { job: { id: string } };

/** A suite's phases in seconds and shares, from its run.json entry. */
export function suitePhases(s: RecordedSuite): SuitePhases {
  const stack = s.phases.stackMs ?? 0;
  const tests = s.phases.testsMs ?? 0;
  const teardown = s.phases.teardownMs ?? 0;
  // A teardown in the background came after durationMs (the lane had gone on): add it to the whole.
  const inLane = s.phases.teardownInBackground ? 0 : teardown;
  const total = Math.max(1, s.durationMs - inLane + teardown);
  return {
    status: s.status,
    seconds: round(s.durationMs / 1000, 1),
    stackSeconds: round(stack / 1000, 1),
    stackWarm: s.phases.stackWarm === true,
    testsSeconds: round(tests / 1000, 1),
    teardownSeconds: round(teardown / 1000, 1),
    otherSeconds: round(Math.max(0, s.durationMs - stack - tests - inLane) / 1000, 1),
    stackShare: round((stack + teardown) / total),
    testsShare: round(tests / total),
  };
}

export async function benchFullRun(
  cwd: string,
  log: (line: string) => void,
  options: { env?: NodeJS.ProcessEnv; timeoutMs?: number; extraArgs?: readonly string[] } = {},
): Promise<FullRunFigures> {
  const dir = await mkdtemp(join(tmpdir(), 'pit-bench-run-'));
  const r = await timed(
    'npx',
    ['tsx', 'src/orchestrator/cli.ts', 'run', '--reports-dir', dir, ...(options.extraArgs ?? [])],
    { cwd, env: options.env, timeoutMs: options.timeoutMs ?? 20 * 60_000 },
  );
  log(
    `full-run: ${round(r.ms / 1000, 1)} s, ${r.timedOut ? 'timed out' : `exit ${r.code}`}, reports in ${dir}`,
  );
  if (r.code !== 0) log(r.output.slice(-2000));
  let record:
    | {
        results: RecordedSuite[];
        config?: { parallel?: number };
        timings?: { engineMs?: number; imagesMs?: number; suitesMs?: number };
      }
    | undefined;
  try {
    record = JSON.parse(await readFile(join(dir, 'run.json'), 'utf8'));
  } catch {
    throw new Error(
      `the run wrote no run.json (${r.timedOut ? 'timed out' : `exit ${r.code}`}): ${r.output.slice(-600)}`,
    );
  }
  return {
    wallSeconds: round(r.ms / 1000, 1),
    exitCode: r.code,
    timedOut: r.timedOut,
    parallel: record?.config?.parallel ?? null,
    recordedSeconds: {
      engine: round((record?.timings?.engineMs ?? 0) / 1000, 1),
      images: round((record?.timings?.imagesMs ?? 0) / 1000, 1),
      suites: round((record?.timings?.suitesMs ?? 0) / 1000, 1),
    },
    suites: Object.fromEntries(record?.results.map((s) => [s.job.id, suitePhases(s)]) ?? []),
  };
}
