/**
 * The CLI as a user runs it, the other commands: health, up, flakes, clean and list: real child processes, real signals and report files, with
 * a fake core (cli-process.ts), so each flow is checked in seconds. The same flows against the
 * real engine: test/engine/cli-*.test.ts.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { until } from '../support/until.ts';
import { alive, cli, root } from './cli-process.ts';

describe('CLI with a fake core: the other commands', () => {
  test('health: a table of checks; a failed check exits 2 and skips the rest', async () => {
    const run = cli(['health']);
    expect(await run.done).toBe(2);
    const out = run.output();
    for (const ok of [
      'node version',
      'dependencies installed',
      'container engine',
      'images',
      'stack starts',
      'GET /api/health',
    ])
      expect(out).toMatch(new RegExp(`OK\\s+${ok.replace('/', '\\/')}`));
    // The fake stack has no dataset API: the write fails, the predict is skipped.
    expect(out).toMatch(/FAIL\s+sample data written.*404/);
    expect(out).toMatch(/SKIP\s+smoke predict/);
    expect(alive(run.state)).toEqual([]);
  });

  test('up: one stack until Ctrl-C, its endpoints file and the command to run a suite against it', async () => {
    const run = cli(['up', '--suite', 'database']);
    await until(() => run.output().includes('Press Ctrl-C'), 20_000, 'the up prompt');
    expect(run.output()).toContain('PYNOMALY_IT_STACK_FILE=.pynomaly-it/stack.json PYNOMALY_IT_ORDER_SEED=');
    expect(run.output()).toMatch(
      /ORDER_SEED=\d+ npx vitest run --config vitest.suites.config.ts src\/suites\/database/,
    );
    expect(run.output()).toMatch(/psql postgres:\/\//);
    const endpoints = JSON.parse(readFileSync(join(root, '.pynomaly-it/stack.json'), 'utf8'));
    expect(endpoints.suite).toBe('up');
    expect(alive(run.state)).toHaveLength(1);
    run.child.kill('SIGINT');
    expect(await run.done).toBe(0);
    expect(alive(run.state)).toEqual([]);
    expect(existsSync(join(root, '.pynomaly-it/stack.json'))).toBe(false);
  });

  test('flakes: a run per load level, per-test pass counts merged into flakes.json and flakes.txt', async () => {
    const run = cli(['flakes', '--iterations', '1', '--suite', 'database']);
    expect(await run.done, run.output()).toBe(0);
    const hunt = JSON.parse(readFileSync(join(run.reports, 'flakes.json'), 'utf8'));
    expect(hunt.runs.map((r: { load: string }) => r.load)).toEqual(['normal', 'oversubscribed']);
    expect(hunt.tests).toHaveLength(2);
    for (const t of hunt.tests)
      expect(t.byLoad).toEqual({
        normal: { passed: 1, failed: 0, failedSeeds: [] },
        oversubscribed: { passed: 1, failed: 0, failedSeeds: [] },
      });
    expect(existsSync(join(run.reports, 'oversubscribed/run.json'))).toBe(true);
    expect(run.output()).toContain(`counts in ${join(run.reports, 'flakes.txt')}`);
    expect(alive(run.state)).toEqual([]);
    // Two whole runs of the CLI, one after the other.
  }, 120_000);

  test('clean and list', async () => {
    const clean = cli(['clean']);
    expect(await clean.done).toBe(0);
    expect(clean.output()).toContain('clean: nothing to remove');
    const list = cli(['list']);
    expect(await list.done).toBe(0);
    expect(list.output()).toMatch(/end-to-end\s+test_end_to_end_scenarios\.py/);
    const runList = cli(['run', '--list']);
    expect(await runList.done).toBe(0);
    expect(runList.output()).toBe(list.output());
  });
});
