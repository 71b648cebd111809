/**
 * The CLI as a user runs it, a run: its exit codes, reports, repro lines and options (--timeout, --fail-fast, --repeat): real child processes, real signals and report files, with
 * a fake core (cli-process.ts), so each flow is checked in seconds. The same flows against the
 * real engine: test/engine/cli-*.test.ts.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLValidator } from 'fast-xml-parser';
import { describe, expect, test } from 'vitest';
import { alive, cli } from './cli-process.ts';

describe('CLI with a fake core: the run command', () => {
  test('a passing run: exit 0, every report, stacks gone, run swept', async () => {
    const run = cli(['run', '--suite', 'database', '--seed', '77', '--cpus', '1']);
    expect(await run.done).toBe(0);
    for (const f of [
      'index.html',
      'summary.txt',
      'junit.xml',
      'run.json',
      'repro.sh',
      'run.log',
      'database/stack.json',
      'database/logs/pynomaly.log',
      'database/vitest.log',
    ])
      expect(existsSync(join(run.reports, f)), f).toBe(true);
    expect(XMLValidator.validate(readFileSync(join(run.reports, 'junit.xml'), 'utf8'))).toBe(true);
    const record = JSON.parse(readFileSync(join(run.reports, 'run.json'), 'utf8'));
    expect(record.exitCode).toBe(0);
    expect(record.results[0].tests).toHaveLength(2);
    expect(record.images.pynomaly).toBe('sha256:fakeservice');
    expect(readFileSync(join(run.reports, 'repro.sh'), 'utf8')).toContain(
      '--seed 77 --cpus 1 --image sha256:fakeservice',
    );
    // --cpus reached the stack and is recorded; the suite ran shuffled under its recorded order seed.
    expect(record.config.cpus).toBe(1);
    const options = readdirSync(run.state).find((f) => f.endsWith('-database.options.json'))!;
    expect(JSON.parse(readFileSync(join(run.state, options), 'utf8'))).toEqual({ cpus: 1 });
    const orderSeed = record.results[0].orderSeed;
    expect(Number.isInteger(orderSeed)).toBe(true);
    expect(readFileSync(join(run.reports, 'database/vitest.log'), 'utf8')).toContain(
      `Running tests with seed "${orderSeed}"`,
    );
    expect(alive(run.state)).toEqual([]);
    expect(readdirSync(run.state).some((f) => f.endsWith('.removed'))).toBe(true);
  });

  test('a failing suite: exit 1, service log tail printed, repro line for it', async () => {
    const run = cli(['run', '--suite', 'security', '--suite', 'database', '--seed', '5']);
    expect(await run.done).toBe(1);
    expect(run.output()).toContain('fake service log tail');
    expect(run.output()).toMatch(
      /Reproduce failed suites locally:\n\s+# security alone\n\s+npx pynomaly-it run --suite security --seed 5/,
    );
    // database and security ran at the same time (default --parallel): the line under that load.
    expect(run.output()).toMatch(
      /# security under the load it failed in \(with database\)\n\s+npx pynomaly-it run --suite database --suite security --seed 5 --parallel \d/,
    );
    expect(alive(run.state)).toEqual([]);
  });

  test('engine down: exit 2, one paragraph, no stack trace', async () => {
    const run = cli(['run', '--suite', 'database'], { FAKE_CORE_ENGINE_DOWN: '1' });
    expect(await run.done).toBe(2);
    expect(run.output()).toContain('no container engine answers');
    expect(run.output()).not.toMatch(/\n\s+at .*\.ts:\d+/);
  });

  test('unknown suite: exit 2 with the choices, nothing started', async () => {
    const run = cli(['run', '--suite', 'test_nope.py']);
    expect(await run.done).toBe(2);
    expect(run.output()).toContain('valid suites: api-workflows, test_api_workflows.py');
    expect(readdirSync(run.state)).toEqual([]);
  });

  test('--timeout: the suite is stopped and reported as timed out, exit 1', async () => {
    const run = cli(['run', '--suite', 'streaming', '--timeout', '3'], {
      PYNOMALY_IT_FIXTURE_SLOW_SECONDS: '120',
    });
    expect(await run.done).toBe(1);
    const record = JSON.parse(readFileSync(join(run.reports, 'run.json'), 'utf8'));
    expect(record.results[0].status).toBe('timed_out');
    expect(record.results[0].durationMs).toBeLessThan(30_000);
    expect(readFileSync(join(run.reports, 'junit.xml'), 'utf8')).toContain('(suite timed out)');
    expect(alive(run.state)).toEqual([]);
  });

  // Without warm stacks nothing of end-to-end ever starts; with one, its stack was started ahead
  // (the fake core leaves a state file per stack) and is removed with the run.
  test.each([
    { warm: '0', startedAhead: false },
    { warm: '1', startedAhead: true },
  ])(
    '--fail-fast with --parallel 1, --warm-stacks $warm: after the failure no suite starts',
    async ({ warm, startedAhead }) => {
      const run = cli([
        'run',
        '--suite',
        'end-to-end',
        '--suite',
        'security',
        '--parallel',
        '1',
        '--fail-fast',
        '--warm-stacks',
        warm,
      ]);
      expect(await run.done).toBe(1);
      const record = JSON.parse(readFileSync(join(run.reports, 'run.json'), 'utf8'));
      const status = Object.fromEntries(
        record.results.map((r: { job: { id: string }; status: string }) => [r.job.id, r.status]),
      );
      expect(status).toEqual({ security: 'failed', 'security:limits': 'not_run', 'end-to-end': 'not_run' });
      // The next job (the security suite's part) had its stack started ahead only with --warm-stacks 1.
      const nextStacks = readdirSync(run.state).filter((f) => f.includes('security-limits'));
      expect(nextStacks.length > 0).toBe(startedAhead);
      expect(readdirSync(run.state).filter((f) => f.includes('end-to-end'))).toEqual([]);
      expect(alive(run.state)).toEqual([]);
    },
  );

  test('--repeat 2: each iteration on its own stack, results per iteration', async () => {
    const run = cli(['run', '--suite', 'database', '--repeat', '2']);
    expect(await run.done).toBe(0);
    expect(existsSync(join(run.reports, 'database/iteration-1/junit.xml'))).toBe(true);
    expect(existsSync(join(run.reports, 'database/iteration-2/junit.xml'))).toBe(true);
    const record = JSON.parse(readFileSync(join(run.reports, 'run.json'), 'utf8'));
    expect(record.results.map((r: { job: { id: string } }) => r.job.id)).toEqual([
      'database#1',
      'database#2',
    ]);
  });
});
