import { describe, expect, test } from 'vitest';
import type { DayResults } from '../../../bench/lib/results.ts';
import { BEGIN, END, markdownTable, renderTable, replaceTable, verdict } from '../../../bench/lib/table.ts';

/** The trimmed cells of the table row whose first cell is `first`. */
function row(block: string, first: string): string[] | undefined {
  return block
    .split('\n')
    .filter((l) => l.startsWith('|'))
    .map((l) =>
      l
        .slice(1, -1)
        .split(' | ')
        .map((c) => c.trim()),
    )
    .find((cells) => cells[0] === first);
}

const base = {
  measuredAt: '2026-12-02T07:10:00.000Z',
  seconds: 60,
  loadAverage: { start: [6.02, 3, 1], end: [9.5, 5, 2] },
  git: { head: 'abc', dirtyFiles: 0 },
  note: 'Machine loaded by a fault check.',
};
const results: DayResults = {
  updatedAt: '2026-12-02T07:30:00.000Z',
  cores: 2,
  parts: {
    'stack-start': {
      ...base,
      figures: {
        warmup: 1,
        oursSeconds: { n: 10, median: 3, p95: 4, min: 2 },
        floorSeconds: { n: 10, median: 2, p95: 3, min: 1.5 },
        ratioMedian: 1.5,
        ratioP95: 1.33,
        samples: { ours: [], floor: [] },
      },
    },
    'npm-test': {
      ...base,
      figures: {
        steps: { typecheck: { seconds: 20, passed: true }, unit: { seconds: 8, passed: true } },
        totalSeconds: 28,
      },
    },
    load: {
      ...base,
      figures: {
        connections: 8,
        secondsPerRun: 8,
        runsPerSide: 2,
        workloads: {
          'predict, 1 row': {
            service: {
              requestsPerSecond: 300,
              requests: 4800,
              non2xx: 0,
              errors: 0,
              latencyMs: { p50: 20, p99: 80 },
            },
            bare: {
              requestsPerSecond: 1000,
              requests: 16000,
              non2xx: 0,
              errors: 0,
              latencyMs: { p50: 6, p99: 30 },
            },
            ratio: 0.3,
          },
        },
      },
    },
    'cold-run': { ...base, error: 'second engine did not start' },
  },
};

describe('bench table', () => {
  test('verdicts: met, or by how much and how many times', () => {
    expect(verdict(1.2, 1.5, 'at-most')).toBe('met');
    expect(verdict(3, 1.5, 'at-most')).toBe('missed by 1.5 s (2×)');
    expect(verdict(1.5, 1.3, 'at-most', '×')).toBe('missed by 0.2×');
    expect(verdict(0.3, 0.4, 'at-least', '%')).toBe('missed by 10 points');
    expect(verdict(0.5, 0.4, 'at-least', '%')).toBe('met');
  });

  test('each figure beside its floor, target and verdict; load and note stated; failures say why', () => {
    const block = renderTable(results, 'bench/results/2026-12-02.json');
    expect(block.startsWith(BEGIN)).toBe(true);
    expect(block.endsWith(END)).toBe(true);
    expect(block).toContain('**Machine loaded by a fault check.**');
    expect(block).toContain('stack-start 07:10 UTC, load 6 → 9.5');
    expect(row(block, 'warm stack start (PG, Redis, service ready), median (p95) of 10')).toEqual([
      'warm stack start (PG, Redis, service ready), median (p95) of 10',
      '3 s (4 s)',
      'docker run floor 2 s (3 s); ratio 1.5 (p95 1.33)',
      '≤ 1.5 s and ≤ 1.3×',
      'median missed by 1.5 s (2×); ratio missed by 0.2×',
    ]);
    expect(row(block, '`npm test`, unit project')).toEqual([
      '`npm test`, unit project',
      '8 s',
      '',
      '≤ 10 s',
      'met',
    ]);
    const predict = row(block, 'service under load: predict, 1 row (8 connections, 2×8 s)');
    expect(predict?.[2]).toMatch(/ratio 30%$/);
    expect(predict?.slice(3)).toEqual(['≥ 40% of bare', 'missed by 10 points']);
    expect(row(block, 'cold-run')?.[1]).toBe('not measured: second engine did not start');
  });

  test('Markdown tables padded to one width per column (as biome formats them), pipes escaped', () => {
    expect(
      markdownTable(
        ['a', 'long header'],
        [
          ['x|y', ''],
          ['wide cell', 'z'],
        ],
      ),
    ).toEqual([
      '| a         | long header |',
      '| --------- | ----------- |',
      '| x\\|y      |             |',
      '| wide cell | z           |',
    ]);
  });

  test('the block replaces what is between the markers and nothing else', () => {
    const readme = `# Benchmarks\n\nintro\n\n${BEGIN}\nold table\n${END}\n\nafter\n`;
    const out = replaceTable(readme, `${BEGIN}\nnew\n${END}`);
    expect(out).toBe(`# Benchmarks\n\nintro\n\n${BEGIN}\nnew\n${END}\n\nafter\n`);
    expect(replaceTable('# B\n', `${BEGIN}\nx\n${END}`)).toBe(`# B\n\n## Speed\n\n${BEGIN}\nx\n${END}\n`);
  });
});
