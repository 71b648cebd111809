import type { SuiteResult } from '../scheduler/types.ts';

export interface FlakyTest {
  suite: string;
  test: string;
  failedIn: number[];
  passedIn: number[];
}

/** Every test that ran (not skipped), with the iterations it passed and failed in. */
function byTest(results: readonly SuiteResult[]) {
  const tests = new Map<
    string,
    { suite: string; file: string; name: string; failedIn: number[]; passedIn: number[] }
  >();
  for (const r of results)
    for (const t of r.tests) {
      if (t.status === 'skipped') continue;
      const key = `${r.job.suite.name}\u0000${t.file}\u0000${t.name}`;
      const entry = tests.get(key) ?? {
        suite: r.job.suite.name,
        file: t.file,
        name: t.name,
        failedIn: [],
        passedIn: [],
      };
      (t.status === 'failed' ? entry.failedIn : entry.passedIn).push(r.job.iteration);
      tests.set(key, entry);
    }
  return [...tests.values()];
}

/** With --repeat: tests that failed in some iterations (and in which). */
export function flakeSummary(results: readonly SuiteResult[]): FlakyTest[] {
  return byTest(results)
    .filter((e) => e.failedIn.length > 0)
    .map((e) => ({
      suite: e.suite,
      test: `${e.file} > ${e.name}`,
      failedIn: e.failedIn,
      passedIn: e.passedIn,
    }));
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
  return byTest(results).map((e) => {
    const runs = e.passedIn.length + e.failedIn.length;
    const passed = e.passedIn.length;
    return { suite: e.suite, file: e.file, name: e.name, passed, runs, flaky: passed > 0 && passed < runs };
  });
}
