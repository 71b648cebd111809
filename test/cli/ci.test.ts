/**
 * The CLI as a user runs it, in CI: shards and merge-reports, GitHub Actions annotations and job summary: real child processes, real signals and report files, with
 * a fake core (cli-process.ts), so each flow is checked in seconds. The same flows against the
 * real engine: test/engine/cli-*.test.ts.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, onTestFinished, test } from 'vitest';
import { cli } from './cli-process.ts';

describe('CLI with a fake core: in CI', () => {
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
      // The security suite's part: in the same shard as its suite.
      'security:limits',
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
    expect(markdown).toMatch(/\| ✅ security:limits \| passed \| 2 \| 0 \|/);
    expect(markdown).toContain('npx pynomaly-it run --suite security --seed 3');
    // Outside GitHub Actions: neither.
    const plain = cli(['run', '--suite', 'security', '--seed', '3']);
    expect(await plain.done).toBe(1);
    expect(plain.output()).not.toContain('::error');
  });
});
