import { basename, join, relative } from 'node:path';
import { EXIT } from '../config/errors.ts';
import type { RunRecord } from './model.ts';

export interface ShardRecord {
  /** The shard's run folder, where its run.json was read (absolute). */
  dir: string;
  record: RunRecord;
}

/** The worst exit code: interrupted over set-up error over failed tests over passed. */
function worstExit(codes: readonly number[]): number {
  for (const code of [EXIT.interrupted, EXIT.setupOrUsage, EXIT.testsFailed])
    if (codes.includes(code)) return code;
  return EXIT.passed;
}

/**
 * One record from the records of several shards (or any runs over disjoint suites): every suite
 * result, its folder and log paths pointed at the shard's folder as seen from `reportsDir`. The
 * reports written from it are then the run's: HTML, text, JUnit and JSON over every shard.
 */
export function mergeRecords(shards: readonly ShardRecord[], reportsDir: string, runId: string): RunRecord {
  if (shards.length === 0) throw new Error('nothing to merge');
  const seen = new Map<string, string>();
  for (const { dir, record } of shards)
    for (const r of record.results) {
      const other = seen.get(r.job.id);
      if (other)
        throw new Error(`suite run ${r.job.id} is in both ${other} and ${dir}: shards must not overlap`);
      seen.set(r.job.id, dir);
    }
  const starts = shards.map((s) => Date.parse(s.record.startedAt));
  const ends = shards.map((s) => Date.parse(s.record.endedAt ?? s.record.startedAt));
  const [first] = shards;
  const results = shards.flatMap(({ dir, record }) =>
    record.results.map((r) => {
      const suiteDir = join(dir, r.dir);
      return {
        ...r,
        dir: relative(reportsDir, suiteDir),
        // Log paths as the shard's machine wrote them; here they are under the shard's folder.
        logFiles: r.logFiles.map((f) => join(suiteDir, 'logs', basename(f))),
        ...(r.coverageDir ? { coverageDir: join(suiteDir, basename(r.coverageDir)) } : {}),
      };
    }),
  );
  const setupErrors = shards.flatMap((s) =>
    s.record.setupError ? [`${s.dir}: ${s.record.setupError}`] : [],
  );
  return {
    runId,
    command: `merge-reports ${shards.map((s) => s.dir).join(' ')}`,
    startedAt: new Date(Math.min(...starts)).toISOString(),
    endedAt: new Date(Math.max(...ends)).toISOString(),
    durationMs: Math.max(...ends) - Math.min(...starts),
    exitCode: worstExit(shards.map((s) => s.record.exitCode ?? EXIT.passed)),
    interrupted: shards.some((s) => s.record.interrupted),
    ...(setupErrors.length ? { setupError: setupErrors.join('\n') } : {}),
    config: {
      ...first.record.config,
      merged: shards.map((s) => ({ dir: s.dir, runId: s.record.runId, config: s.record.config })),
    },
    engine: first.record.engine,
    images: first.record.images,
    imageIds: first.record.imageIds,
    timings: {},
    results,
    repro: {
      run: shards
        .map((s) => s.record.repro?.run)
        .filter(Boolean)
        .join('\n'),
      failed: Object.assign({}, ...shards.map((s) => s.record.repro?.failed ?? {})),
    },
    reportsDir,
  };
}
