import { jobNameOf, type SuiteDefinition } from './catalog.ts';
import durations from './durations.json' with { type: 'json' };

export interface Shard {
  /** 1-based. */
  index: number;
  total: number;
}

/**
 * Recorded seconds of a job by name (`<suite>` or `<suite>:<part>`); an unknown one counts as the
 * mean of the known ones.
 */
export function recordedSeconds(name: string): number {
  const known = Object.entries(durations).filter(([k, v]) => !k.startsWith('_') && typeof v === 'number');
  const value = known.find(([k]) => k === name)?.[1];
  if (typeof value === 'number') return value;
  return known.reduce((sum, [, v]) => sum + (v as number), 0) / Math.max(1, known.length);
}

/** A suite's recorded seconds with its parts': a shard runs them all. */
export function suiteSeconds(suite: SuiteDefinition): number {
  return suite.parts.reduce(
    (sum, part) => sum + recordedSeconds(jobNameOf(suite, part)),
    recordedSeconds(suite.name),
  );
}

/**
 * The suites of shard `index` of `total`: longest first, each to the shard with the least recorded
 * time so far (ties: the lower shard). It depends only on the suites and the committed durations,
 * so n machines computing their own shard cover every suite exactly once. Catalogue order is kept
 * within a shard.
 */
export function shardSuites(
  suites: readonly SuiteDefinition[],
  shard: Shard,
  seconds: (suite: SuiteDefinition) => number = suiteSeconds,
): SuiteDefinition[] {
  const loads = Array.from({ length: shard.total }, () => 0);
  const owner = new Map<SuiteDefinition, number>();
  const longestFirst = [...suites].sort((a, b) => seconds(b) - seconds(a) || a.name.localeCompare(b.name));
  for (const suite of longestFirst) {
    const least = loads.indexOf(Math.min(...loads));
    owner.set(suite, least);
    loads[least] += seconds(suite);
  }
  return suites.filter((s) => owner.get(s) === shard.index - 1);
}
