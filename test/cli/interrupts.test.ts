/**
 * The CLI as a user runs it, interrupts: Ctrl-C and SIGTERM mid-suite, kill -9 of the CLI, --keep until Ctrl-C: real child processes, real signals and report files, with
 * a fake core (cli-process.ts), so each flow is checked in seconds. The same flows against the
 * real engine: test/engine/cli-*.test.ts.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { until } from '../support/until.ts';
import { alive, cli } from './cli-process.ts';

describe('CLI with a fake core: interrupts', () => {
  test.each(['SIGINT', 'SIGTERM'] as const)(
    '%s mid-suite: exit 130, partial reports, every stack stopped',
    async (signal) => {
      const run = cli(['run', '--suite', 'streaming'], { PYNOMALY_IT_FIXTURE_SLOW_SECONDS: '120' });
      await until(run.testStarted, 20_000, 'the suite mid-test');
      expect(alive(run.state)).toHaveLength(1);
      const sent = Date.now();
      run.child.kill(signal);
      expect(await run.done).toBe(130);
      expect(Date.now() - sent).toBeLessThan(10_000);
      expect(alive(run.state)).toEqual([]);
      const record = JSON.parse(readFileSync(join(run.reports, 'run.json'), 'utf8'));
      expect(record.interrupted).toBe(true);
      expect(record.results[0].status).toBe('interrupted');
      expect(readFileSync(join(run.reports, 'summary.txt'), 'utf8')).toContain('INTERRUPTED, partial');
    },
  );

  test('kill -9 of the CLI: its vitest process group stops itself within seconds', async () => {
    const run = cli(['run', '--suite', 'streaming'], { PYNOMALY_IT_FIXTURE_SLOW_SECONDS: '120' });
    await until(() => run.output().includes('"status":"running"'), 20_000, 'a suite running');
    const children = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(run.child.pid)], {
      encoding: 'utf8',
    });
    const vitestPid = Number(
      children
        .split('\n')
        .find((l) => l.includes('vitest.mjs'))
        ?.trim()
        .split(/\s+/)[0],
    );
    expect(vitestPid).toBeGreaterThan(1);
    run.child.kill('SIGKILL');
    await run.done;
    const gone = () => {
      try {
        process.kill(vitestPid, 0);
        return false;
      } catch {
        return true;
      }
    };
    await until(gone, 10_000, 'the stacks gone');
  });

  test('--keep: a failed suite keeps its stack and says how to reach it until Ctrl-C', async () => {
    const run = cli(['run', '--suite', 'security', '--keep']);
    await until(
      () => run.output().includes('press Ctrl-C to remove them'),
      20_000,
      'the kept-stack instructions',
    );
    expect(run.output()).toMatch(/psql postgres:\/\/pynomaly:secret@127\.0\.0\.1:1\/pynomaly/);
    expect(run.output()).toMatch(/redis-cli -u redis:\/\/127\.0\.0\.1:2/);
    expect(run.output()).toMatch(/http:\s+http:\/\/127\.0\.0\.1:\d+/);
    expect(alive(run.state)).toHaveLength(1);
    run.child.kill('SIGINT');
    expect(await run.done).toBe(1);
    expect(alive(run.state)).toEqual([]);
  });
});
