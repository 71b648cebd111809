/** What overlap needs of a suite result: when it ran. */
export interface TimedResult {
  job: { id: string; suite: { name: string } };
  startedAt?: string;
  durationMs: number;
}

function span(r: TimedResult): [number, number] | undefined {
  if (!r.startedAt) return undefined;
  const start = Date.parse(r.startedAt);
  return Number.isNaN(start) ? undefined : [start, start + r.durationMs];
}

/** Ids of the other jobs whose run time overlapped this one's (a job that never started overlaps none). */
export function overlappingJobs(target: TimedResult, results: readonly TimedResult[]): string[] {
  const t = span(target);
  if (!t) return [];
  return results
    .filter((r) => r.job.id !== target.job.id)
    .filter((r) => {
      const s = span(r);
      return s !== undefined && s[0] < t[1] && t[0] < s[1];
    })
    .map((r) => r.job.id);
}

/**
 * The suites that ran at the same time as any run of `suite` (its failed iterations with --repeat):
 * the load it failed under. Catalogue order of `results`, without `suite` itself.
 */
export function concurrentSuites(failed: readonly TimedResult[], results: readonly TimedResult[]): string[] {
  const ids = new Set(failed.flatMap((f) => overlappingJobs(f, results)));
  const self = new Set(failed.map((f) => f.job.suite.name));
  const names = results.filter((r) => ids.has(r.job.id)).map((r) => r.job.suite.name);
  return [...new Set(names)].filter((n) => !self.has(n));
}
