import { describe, expect, test } from 'vitest';
import { SUITES } from '../../../src/orchestrator/suites/catalog.ts';
import durations from '../../../src/orchestrator/suites/durations.json' with { type: 'json' };
import { recordedSeconds, shardSuites, suiteSeconds } from '../../../src/orchestrator/suites/shard.ts';

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
    const byName = new Map(SUITES.map((s) => [s.name, suiteSeconds(s)]));
    const loads = [1, 2, 3].map((i) => names(3, i).reduce((sum, n) => sum + byName.get(n)!, 0));
    const total = SUITES.reduce((sum, s) => sum + suiteSeconds(s), 0);
    const longest = Math.max(...byName.values());
    expect(Math.max(...loads)).toBeLessThanOrEqual(Math.max(longest, total / 3) + longest / 2);
    // A suite as long as all the others together runs alone in its shard.
    const long = (s: (typeof SUITES)[number]) => (s.name === 'database' ? 100 : 10);
    expect(shardSuites(SUITES, { index: 1, total: 2 }, long).map((s) => s.name)).toEqual(['database']);
  });

  test("a suite's parts count in its shard's load (a shard runs them all)", () => {
    const security = SUITES.find((s) => s.name === 'security')!;
    expect(security.parts.length).toBeGreaterThan(0);
    expect(suiteSeconds(security)).toBeCloseTo(
      recordedSeconds('security') +
        security.parts.reduce((sum, p) => sum + recordedSeconds(`security:${p.name}`), 0),
    );
    expect(suiteSeconds(security)).toBeGreaterThan(recordedSeconds('security'));
  });

  test('an unknown job counts as the mean of the known ones', () => {
    const known = Object.entries(durations)
      .filter(([k]) => !k.startsWith('_'))
      .map(([, v]) => v as number);
    expect(recordedSeconds('nope')).toBeCloseTo(known.reduce((a, b) => a + b, 0) / known.length);
  });
});
