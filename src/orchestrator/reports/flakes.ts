import type { SuiteResult } from '../scheduler/types.ts';

export interface FlakyTest {
  suite: string;
  test: string;
  failedIn: number[];
  passedIn: number[];
}

/** With --repeat: tests that failed in some iterations (and in which). */
export function flakeSummary(results: readonly SuiteResult[]): FlakyTest[] {
  const byTest = new Map<string, FlakyTest>();
  for (const r of results)
    for (const t of r.tests) {
      if (t.status === 'skipped') continue;
      const key = `${r.job.suite.name}\u0000${t.file}\u0000${t.name}`;
      const entry = byTest.get(key) ?? {
        suite: r.job.suite.name,
        test: `${t.file} > ${t.name}`,
        failedIn: [],
        passedIn: [],
      };
      (t.status === 'failed' ? entry.failedIn : entry.passedIn).push(r.job.iteration);
      byTest.set(key, entry);
    }
  return [...byTest.values()].filter((e) => e.failedIn.length > 0);
}

export interface PassCount {
  suite: string;
  file: string;
  name: string;
  passed: number;
  runs: number;
  /** Passed in some iterations and failed in others. */
  flaky: boolean;
}

/** With --repeat: every test's pass count over the iterations it ran in. */
export function passCounts(results: readonly SuiteResult[]): PassCount[] {
  const byTest = new Map<string, PassCount>();
  for (const r of results)
    for (const t of r.tests) {
      if (t.status === 'skipped') continue;
      const key = `${r.job.suite.name}\u0000${t.file}\u0000${t.name}`;
      const entry = byTest.get(key) ?? {
        suite: r.job.suite.name,
        file: t.file,
        name: t.name,
        passed: 0,
        runs: 0,
        flaky: false,
      };
      entry.runs += 1;
      if (t.status === 'passed') entry.passed += 1;
      entry.flaky = entry.passed > 0 && entry.passed < entry.runs;
      byTest.set(key, entry);
    }
  return [...byTest.values()];
}
