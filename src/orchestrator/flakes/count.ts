import type { LoadLevel } from '../config/types.ts';

/** What the hunter reads of one run's run.json (results as run.json writes them). */
export interface HuntRun {
  load: LoadLevel;
  seed: number;
  parallel: number;
  cpus?: number;
  exitCode: number;
  reportsDir: string;
  results: readonly {
    job: { suite: string; iteration: number };
    status: string;
    tests: readonly { file: string; name: string; status: string }[];
  }[];
}

export interface TestCount {
  passed: number;
  failed: number;
  /** Seeds of the runs it failed in (the seed fixes data and order: the repro line's --seed). */
  failedSeeds: number[];
}

export interface TestRow {
  suite: string;
  file: string;
  name: string;
  byLoad: Partial<Record<LoadLevel, TestCount>>;
}

/** Per suite and load: how many suite runs ended in each status (passed, failed, timed_out, error...). */
export interface SuiteRow {
  suite: string;
  byLoad: Partial<Record<LoadLevel, Record<string, number>>>;
}

export interface HuntCounts {
  suites: SuiteRow[];
  tests: TestRow[];
}

const failedSomewhere = (row: TestRow) => Object.values(row.byLoad).some((c) => c && c.failed > 0);

/** Merges every run of every load level into per-test pass/fail counts; failing tests first. */
export function countRuns(runs: readonly HuntRun[]): HuntCounts {
  const tests = new Map<string, TestRow>();
  const suites = new Map<string, SuiteRow>();
  for (const run of runs)
    for (const result of run.results) {
      const suite = result.job.suite;
      const suiteRow = suites.get(suite) ?? { suite, byLoad: {} };
      const statuses = suiteRow.byLoad[run.load] ?? {};
      suiteRow.byLoad[run.load] = statuses;
      statuses[result.status] = (statuses[result.status] ?? 0) + 1;
      suites.set(suite, suiteRow);
      for (const t of result.tests) {
        if (t.status !== 'passed' && t.status !== 'failed') continue;
        const key = `${suite}\u0000${t.file}\u0000${t.name}`;
        const row = tests.get(key) ?? { suite, file: t.file, name: t.name, byLoad: {} };
        const count = row.byLoad[run.load] ?? { passed: 0, failed: 0, failedSeeds: [] };
        row.byLoad[run.load] = count;
        if (t.status === 'passed') count.passed++;
        else {
          count.failed++;
          if (!count.failedSeeds.includes(run.seed)) count.failedSeeds.push(run.seed);
        }
        tests.set(key, row);
      }
    }
  const byName = (a: TestRow, b: TestRow) =>
    a.suite.localeCompare(b.suite) || a.file.localeCompare(b.file) || a.name.localeCompare(b.name);
  const rows = [...tests.values()].sort(
    (a, b) => Number(failedSomewhere(b)) - Number(failedSomewhere(a)) || byName(a, b),
  );
  return { suites: [...suites.values()].sort((a, b) => a.suite.localeCompare(b.suite)), tests: rows };
}

/** FLAKY: failed and passed; FAILS: never passed; ok: never failed. */
export function verdict(row: TestRow): 'FLAKY' | 'FAILS' | 'ok' {
  const counts = Object.values(row.byLoad).filter((c): c is TestCount => c !== undefined);
  const passed = counts.reduce((n, c) => n + c.passed, 0);
  const failed = counts.reduce((n, c) => n + c.failed, 0);
  return failed === 0 ? 'ok' : passed === 0 ? 'FAILS' : 'FLAKY';
}
