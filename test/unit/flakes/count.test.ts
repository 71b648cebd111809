import { describe, expect, test } from 'vitest';
import type { RunConfig } from '../../../src/orchestrator/config/types.ts';
import { countRuns, type HuntRun, verdict } from '../../../src/orchestrator/flakes/count.ts';
import { huntRunArgs } from '../../../src/orchestrator/flakes/run-args.ts';
import { renderHuntTable } from '../../../src/orchestrator/flakes/table.ts';
import { SUITES } from '../../../src/orchestrator/suites/catalog.ts';

type Result = HuntRun['results'][number];
const result = (suite: string, iteration: number, status: string, tests: [string, string][]): Result => ({
  job: { suite, iteration },
  status,
  tests: tests.map(([name, s]) => ({ file: `src/suites/${suite}/a.test.ts`, name, status: s })),
});

const run = (load: HuntRun['load'], seed: number, results: Result[]): HuntRun => ({
  load,
  seed,
  parallel: load === 'normal' ? 2 : 4,
  exitCode: 0,
  reportsDir: `/r/${load}`,
  results,
});

describe('flake counts', () => {
  const runs = [
    run('normal', 11, [
      result('regression', 1, 'passed', [
        ['shape', 'passed'],
        ['order', 'passed'],
        ['later', 'skipped'],
      ]),
      result('regression', 2, 'failed', [
        ['shape', 'passed'],
        ['order', 'failed'],
      ]),
    ]),
    run('oversubscribed', 22, [
      result('regression', 1, 'failed', [
        ['shape', 'passed'],
        ['order', 'failed'],
      ]),
      result('regression', 2, 'timed_out', [['shape', 'passed']]),
      result('database', 1, 'failed', [['crud', 'failed']]),
    ]),
  ];
  const counts = countRuns(runs);

  test('per test and load level: passes, failures and the seeds it failed under; skipped is not counted', () => {
    const order = counts.tests.find((t) => t.name === 'order')!;
    expect(order.byLoad).toEqual({
      normal: { passed: 1, failed: 1, failedSeeds: [11] },
      oversubscribed: { passed: 0, failed: 1, failedSeeds: [22] },
    });
    const shape = counts.tests.find((t) => t.name === 'shape')!;
    expect(shape.byLoad.oversubscribed).toEqual({ passed: 2, failed: 0, failedSeeds: [] });
    expect(counts.tests.some((t) => t.name === 'later')).toBe(false);
  });

  test('failing tests come first; verdicts FLAKY, FAILS, ok', () => {
    expect(counts.tests.map((t) => `${t.suite}:${t.name}:${verdict(t)}`)).toEqual([
      'database:crud:FAILS',
      'regression:order:FLAKY',
      'regression:shape:ok',
    ]);
  });

  test('suite runs by status per load level (a timeout counts even without a failed test)', () => {
    expect(counts.suites).toEqual([
      { suite: 'database', byLoad: { oversubscribed: { failed: 1 } } },
      {
        suite: 'regression',
        byLoad: { normal: { passed: 1, failed: 1 }, oversubscribed: { failed: 1, timed_out: 1 } },
      },
    ]);
  });

  test('the table: a line per run, per suite, and per test with passed/total per load', () => {
    const table = renderHuntTable(runs, counts, 2);
    expect(table).toContain('normal: --parallel 2, seed 11, exit 0, reports /r/normal');
    expect(table).toContain('regression: normal passed 1, failed 1; oversubscribed failed 1, timed_out 1');
    expect(table).toMatch(
      /FLAKY\s+1\/2 passed\s+0\/1 passed\s+regression: src\/suites\/regression\/a\.test\.ts > order\s+\(failed under seed 11, 22\)/,
    );
    expect(table).toMatch(/ok\s+2\/2 passed\s+2\/2 passed\s+regression: .*> shape\n/);
    expect(table).toMatch(/FAILS\s+-\s+0\/1 passed\s+database/);
    expect(table).toContain('database: normal -; oversubscribed failed 1');
    expect(table).toContain('2 of 3 test(s) failed at least once.');
  });
});

describe('the run a load level starts', () => {
  test("--repeat iterations at the level's parallel and cpus, every test run, its own reports folder", () => {
    const config = {
      suites: SUITES.filter((s) => s.name === 'regression'),
      markers: [],
      hunt: { iterations: 3, levels: [] },
      seedGiven: false,
      seed: 5,
      auth: true,
      timeoutMs: 600_000,
      logLevel: 'info',
      logFormat: 'json',
      images: { pynomaly: 'svc:x' },
      serviceEnv: { PYNOMALY_A: '1' },
    } as unknown as RunConfig;
    expect(
      huntRunArgs(config, { load: 'oversubscribed', parallel: 4, cpus: 0.5 }, '/f/oversubscribed'),
    ).toEqual([
      'run',
      '--repeat',
      '3',
      '--parallel',
      '4',
      '--suite',
      'regression',
      '--cpus',
      '0.5',
      '--auth',
      '--timeout',
      '600',
      '--max-failures',
      '0',
      '--log-level',
      'info',
      '--log-format',
      'json',
      '--image',
      'svc:x',
      '--service-env',
      'PYNOMALY_A=1',
      '--reports-dir',
      '/f/oversubscribed',
    ]);
    const seeded = { ...config, seedGiven: true } as RunConfig;
    expect(huntRunArgs(seeded, { load: 'normal', parallel: 2 }, '/f/normal')).toContain('--seed');
  });
});
