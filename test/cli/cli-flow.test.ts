/**
 * The CLI as a user runs it — real vitest child processes, real signals, real report files —
 * with a fake core (HTTP servers as "stacks"), so exit codes, interrupts, timeouts, --keep and
 * reports are checked in seconds. The same flows against the real engine: test/engine/cli-*.test.ts.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { XMLValidator } from 'fast-xml-parser';
import { describe, expect, onTestFinished, test } from 'vitest';
import { until } from '../support/until.ts';

const root = join(import.meta.dirname, '../..');

interface Run {
  child: ChildProcess;
  output: () => string;
  done: Promise<number | null>;
  state: string;
  reports: string;
}

function cli(args: string[], env: Record<string, string> = {}): Run {
  const state = mkdtempSync(join(tmpdir(), 'pit-cli-'));
  onTestFinished(() => rmSync(state, { recursive: true, force: true }));
  const reports = join(state, 'reports');
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'test/cli/fake-cli.ts', ...args, '--reports-dir', reports],
    {
      cwd: root,
      env: {
        ...process.env,
        CI: 'true',
        FAKE_CORE_STATE_DIR: state,
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const done = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, done, state, reports };
}

const alive = (state: string) => readdirSync(state).filter((f) => f.endsWith('.alive'));

describe('CLI flow with a fake core', () => {
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

  test.each(['SIGINT', 'SIGTERM'] as const)(
    '%s mid-suite: exit 130, partial reports, every stack stopped',
    async (signal) => {
      const run = cli(['run', '--suite', 'streaming'], { PYNOMALY_IT_FIXTURE_SLOW_SECONDS: '120' });
      await until(() => run.output().includes('"status":"running"'), 20_000, 'a suite running');
      await new Promise((r) => setTimeout(r, 1000));
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
      expect(status).toEqual({ security: 'failed', 'end-to-end': 'not_run' });
      const endToEndStacks = readdirSync(run.state).filter((f) => f.includes('end-to-end'));
      expect(endToEndStacks.length > 0).toBe(startedAhead);
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

  test("--shard 1/3, 2/3, 3/3 then merge-reports: every suite exactly once, one report with the full run's tests", async () => {
    const suites = ['--suite', 'database,end-to-end,security,streaming', '--seed', '9'];
    const full = cli(['run', ...suites]);
    const shards = [1, 2, 3].map((i) => cli(['run', ...suites, '--shard', `${i}/3`]));
    const codes = await Promise.all([full.done, ...shards.map((s) => s.done)]);
    const read = (dir: string) => JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));
    const perShard = shards.map((s) => read(s.reports).results.map((r: { job: { id: string } }) => r.job.id));
    expect(perShard.flat().sort(), 'the shards cover every suite exactly once').toEqual([
      'database',
      'end-to-end',
      'security',
      'streaming',
    ]);
    expect(
      perShard.every((ids: string[]) => ids.length > 0),
      'no shard is empty',
    ).toBe(true);
    // The fixture security suite fails: the shard holding it and the full run exit 1.
    expect(codes[0]).toBe(1);
    const merge = cli(['merge-reports', ...shards.map((s) => s.reports)]);
    expect(await merge.done, merge.output()).toBe(1);
    const merged = read(merge.reports);
    const tests = (r: { results: { tests: unknown[] }[] }) => r.results.flatMap((x) => x.tests).length;
    expect(tests(merged), "the merged report has the full run's tests").toBe(tests(read(full.reports)));
    expect(merged.results.map((r: { status: string }) => r.status).sort()).toEqual(
      read(full.reports)
        .results.map((r: { status: string }) => r.status)
        .sort(),
    );
    for (const f of ['index.html', 'junit.xml', 'summary.txt', 'integration_test_summary.html'])
      expect(existsSync(join(merge.reports, f)), f).toBe(true);
    expect(readFileSync(join(merge.reports, 'junit.xml'), 'utf8')).toContain('security');
    const overlap = cli(['merge-reports', shards[0].reports, shards[0].reports]);
    expect(await overlap.done).toBe(2);
    expect(overlap.output()).toContain('shards must not overlap');
    const bad = cli(['run', '--shard', '4/3']);
    expect(await bad.done).toBe(2);
    expect(bad.output()).toContain('--shard takes i/n with 1 <= i <= n');
  }, 120_000);

  test('in GitHub Actions: an ::error annotation on the failing line, and a Markdown job summary', async () => {
    const summary = join(mkdtempSync(join(tmpdir(), 'pit-gh-')), 'summary.md');
    onTestFinished(() => rmSync(dirname(summary), { recursive: true, force: true }));
    const run = cli(['run', '--suite', 'security', '--suite', 'database', '--seed', '3'], {
      GITHUB_ACTIONS: 'true',
      GITHUB_STEP_SUMMARY: summary,
    });
    expect(await run.done).toBe(1);
    const annotations = run
      .output()
      .split('\n')
      .filter((l) => l.startsWith('::'));
    expect(annotations).toEqual([
      expect.stringMatching(
        /^::error file=test\/engine\/fixtures\/cli-suites\/security\/fails\.test\.ts,line=7,title=security › an endpoint that does not exist is 200 \(it is not\)::AssertionError: unknown routes are 404: expected 404 to be 200/,
      ),
    ]);
    expect(annotations[0], 'a workflow command is one line').not.toMatch(/[\r\n]/);
    const markdown = readFileSync(summary, 'utf8');
    expect(markdown).toContain(
      `## pynomaly-it run ${JSON.parse(readFileSync(join(run.reports, 'run.json'), 'utf8')).runId}: ❌ exit code 1`,
    );
    expect(markdown).toMatch(/\| ❌ security \| failed \| 0 \| 1 \|/);
    expect(markdown).toMatch(/\| ✅ database \| passed \| 2 \| 0 \|/);
    expect(markdown).toContain('npx pynomaly-it run --suite security --seed 3');
    // Outside GitHub Actions: neither.
    const plain = cli(['run', '--suite', 'security', '--seed', '3']);
    expect(await plain.done).toBe(1);
    expect(plain.output()).not.toContain('::error');
  });

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
