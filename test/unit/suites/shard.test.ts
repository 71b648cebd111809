import { describe, expect, test } from 'vitest';
import { SUITES } from '../../../src/orchestrator/suites/catalog.ts';
import { recordedSeconds, shardSuites } from '../../../src/orchestrator/suites/shard.ts';

const names = (total: number, index: number) => shardSuites(SUITES, { index, total }).map((s) => s.name);

describe('shards', () => {
  test.each([1, 2, 3, 4, 7])('%i shards cover every suite exactly once', (total) => {
    const all = Array.from({ length: total }, (_, i) => names(total, i + 1)).flat();
    expect(all.sort()).toEqual(SUITES.map((s) => s.name).sort());
  });

  test('the split depends only on the suites and the committed durations (same on every machine)', () => {
    expect(names(3, 2)).toEqual(names(3, 2));
    expect(
      shardSuites([...SUITES].reverse(), { index: 2, total: 3 })
        .map((s) => s.name)
        .sort(),
    ).toEqual(names(3, 2).sort());
  });

  test('longest first to the least loaded: no shard carries more than the longest suite plus its fair share', () => {
    const loads = [1, 2, 3].map((i) => names(3, i).reduce((sum, n) => sum + recordedSeconds(n), 0));
    const total = SUITES.reduce((sum, s) => sum + recordedSeconds(s.name), 0);
    const longest = Math.max(...SUITES.map((s) => recordedSeconds(s.name)));
    expect(Math.max(...loads)).toBeLessThanOrEqual(Math.max(longest, total / 3) + longest / 2);
    // The longest suite (security) runs alone in its shard when the others fill the other two.
    expect(names(3, 1)).toEqual(['security']);
  });

  test('an unknown suite counts as the mean of the known ones', () => {
    const known = SUITES.map((s) => recordedSeconds(s.name));
    expect(recordedSeconds('nope')).toBeCloseTo(known.reduce((a, b) => a + b, 0) / known.length);
  });
});
