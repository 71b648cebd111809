import { describe, expect, test } from 'vitest';
import { concurrentSuites, overlappingJobs } from '../../../src/orchestrator/reports/overlap.ts';

const job = (id: string, startS?: number, durationMs = 0) => ({
  job: { id, suite: { name: id.split('#')[0] } },
  startedAt: startS === undefined ? undefined : new Date(Date.UTC(2026, 0, 1, 0, 0, startS)).toISOString(),
  durationMs,
});

describe('which suites ran at the same time', () => {
  const a = job('a', 0, 10_000); // 0-10
  const b = job('b', 9, 2_000); // 9-11: overlaps a by 1 s
  const c = job('c', 10, 5_000); // 10-15: starts the instant a ends
  const d = job('d', 2, 1_000); // 2-3: inside a
  const never = job('e'); // not run: no start time

  test('any shared instant counts; touching ends do not; a job never started overlaps nothing', () => {
    const all = [a, b, c, d, never];
    expect(overlappingJobs(a, all)).toEqual(['b', 'd']);
    expect(overlappingJobs(c, all)).toEqual(['b']);
    expect(overlappingJobs(never, all)).toEqual([]);
    expect(overlappingJobs(a, [a])).toEqual([]);
  });

  test('a suite failed in several iterations: the union of their neighbours, itself left out, order of the results', () => {
    const runs = [
      job('x#1', 0, 5_000),
      job('y#1', 1, 1_000),
      job('x#2', 6, 5_000),
      job('z#1', 8, 1_000),
      job('y#2', 20, 1_000),
    ];
    expect(concurrentSuites([runs[0], runs[2]], runs)).toEqual(['y', 'z']);
    expect(concurrentSuites([runs[4]], runs)).toEqual([]);
  });
});
