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
