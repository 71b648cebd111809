import { describe, expect, test } from 'vitest';
import { escapeHtml, shellQuote } from '../../../src/orchestrator/reports/escape.ts';
import { renderHtml } from '../../../src/orchestrator/reports/html.ts';
import { renderJson } from '../../../src/orchestrator/reports/json.ts';
import { buildRepro, reproCommand, reproScript } from '../../../src/orchestrator/reports/repro.ts';
import { renderTextSummary } from '../../../src/orchestrator/reports/text.ts';
import { SUITES } from '../../../src/orchestrator/suites/catalog.ts';
import { repeatedSecurity, sampleRecord } from './fixtures.ts';

describe('HTML report', () => {
  const html = renderHtml(sampleRecord());

  test('escapes test names, messages and log tails: no injected markup survives', () => {
    // The report's own script is the only one.
    expect(html.split('<script>')).toHaveLength(2);
    expect(html).not.toContain('<oops>');
    expect(html).not.toContain('<b>');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quotes&#39;');
    expect(html).not.toContain('\u001b');
  });

  test('is self-contained: one inline script, no external script, stylesheet, image or URL', () => {
    expect(html).not.toMatch(/<link|<img|<iframe|src=|url\(|@import|https?:\/\//i);
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html).toContain('<script>');
  });

  test('status per suite, links to logs and junit, repro commands', () => {
    for (const s of ['database', 'security', 'streaming', 'performance']) expect(html).toContain(`>${s}<`);
    expect(html).toContain('timed out');
    expect(html).toContain('href="database/logs/pynomaly.log"');
    expect(html).toContain('href="security/junit.xml"');
    expect(html).toContain('npx pynomaly-it run --suite security --seed 1234');
    expect(html).toContain('security under the load it failed in (with database)');
    expect(html).toContain('npx pynomaly-it run --suite database --suite security --seed 1234 --parallel 2');
  });

  test('escapeHtml covers the five characters', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});

describe('text summary', () => {
  const text = renderTextSummary(sampleRecord());

  test('a row per suite with counts, totals, failures with their message, repro for failed suites', () => {
    expect(text).toMatch(/database\s+PASSED\s+1\s+0\s+1/);
    expect(text).toMatch(/security\s+FAILED\s+1\s+1\s+0/);
    expect(text).toMatch(/streaming\s+TIMED OUT/);
    expect(text).toMatch(/performance\s+NOT RUN/);
    expect(text).toMatch(/total\s+3\s+1\s+1/);
    expect(text).toContain('x src/suites/security/injection.test.ts > rejects <script>');
    expect(text).toContain('AssertionError: expected <b> & "c"');
    expect(text).toContain('stopped after 60 s (--timeout)');
    expect(text).toContain('Reproduce failed suites locally:');
    expect(text).toContain('npx pynomaly-it run --suite streaming --seed 1234');
    expect(text).toMatch(
      /# security alone\n\s+npx pynomaly-it run --suite security --seed 1234\n\s+# security under the load it failed in \(with database\)\n\s+npx pynomaly-it run --suite database --suite security --seed 1234 --parallel 2/,
    );
    expect(text).toContain('# streaming ran with no other suite at the same time');
    expect(text).toContain('images: service sha256:svc');
    expect(text).toContain('seed: 1234   reports');
  });

  test('how long each phase took: engine, images, the slowest stack start, tests and teardown', () => {
    expect(text).toContain('phases: engine 0.0 s, images 2.0 s, stack start 0.9 s, tests 3.0 s');
    expect(text).toContain('(slowest suite of 4)');
  });

  test('the order seed the suites were shuffled with', () => {
    const base = sampleRecord();
    const record = sampleRecord({ results: base.results.map((r) => ({ ...r, orderSeed: 987 })) });
    expect(renderTextSummary(record)).toContain('seed: 1234 (files and tests shuffled, order seed 987)');
  });

  test('an interrupted run says its reports are partial', () => {
    expect(renderTextSummary(sampleRecord({ interrupted: true }))).toContain('INTERRUPTED, partial');
  });

  test('--repeat: which tests failed in which iteration', () => {
    const [first, again] = repeatedSecurity();
    const text2 = renderTextSummary(sampleRecord({ results: [first, again] }));
    expect(text2).toContain('Flaky or failing across iterations:');
    expect(text2).toMatch(/injection\.test\.ts > rejects .* failed in iteration\(s\) 1; passed in 2/);
  });
});

describe('repro command', () => {
  const config = {
    suites: SUITES.filter((s) => s.name === 'security' || s.name === 'database'),
    markers: ['security' as const, 'api' as const],
    auth: true,
    coverage: false,
    failFast: false,
    timeoutMs: 600_000,
    maxFailures: 5,
    seed: 42,
    logLevel: 'info' as const,
    parallel: 2,
    cpus: undefined as number | undefined,
    repeat: 1,
  };
  const images = { pynomaly: 'sha256:aa', postgres: 'sha256:bb', redis: 'sha256:cc' };

  test('carries suites, markers, seed, image IDs and the flags that change what runs', () => {
    const cmd = reproCommand({ config: { ...config, cpus: 0.5 }, images });
    expect(cmd).toBe(
      'npx pynomaly-it run --suite database --suite security --markers security,api --seed 42 --parallel 2 --cpus 0.5 --image sha256:aa --postgres-image sha256:bb --redis-image sha256:cc --auth --timeout 600',
    );
  });

  test('a non-default --warm-stacks is replayed (stacks starting beside tests are load); 1 is the default', () => {
    expect(reproCommand({ config: { ...config, warmStacks: 0 }, suites: ['security'] })).toContain(
      '--warm-stacks 0',
    );
    expect(reproCommand({ config: { ...config, warmStacks: 1 }, suites: ['security'] })).not.toContain(
      'warm-stacks',
    );
  });

  test('one suite only, and defaults are left out', () => {
    const cmd = reproCommand({
      config: { ...config, markers: [], auth: false, timeoutMs: 1_800_000 },
      suites: ['security'],
    });
    expect(cmd).toBe('npx pynomaly-it run --suite security --seed 42');
  });

  test('odd values are shell-quoted; repro.sh execs the run command', () => {
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    expect(shellQuote('sha256:abc')).toBe('sha256:abc');
    expect(
      reproCommand({ config: { ...config, markers: ["it's"] as never }, suites: ['security'] }),
    ).toContain(`--markers 'it'\\''s'`);
    const script = reproScript({
      runId: 'r1',
      repro: {
        run: 'npx pynomaly-it run --seed 1',
        failed: {
          security: { alone: 'npx x', underLoad: 'npx x y', concurrent: ['database'] },
          streaming: { alone: 'npx z', concurrent: [] },
        },
      },
    });
    expect(script.startsWith('#!/bin/sh\n')).toBe(true);
    expect(script).toContain('exec npx pynomaly-it run --seed 1');
    expect(script).toContain('#   security alone:      npx x');
    expect(script).toContain('#   security under load: npx x y');
    expect(script).toContain('#   streaming under load: (no other suite ran at the same time)');
  });

  const at = (id: string, start: string, durationMs: number, status: 'passed' | 'failed' | 'timed_out') => ({
    job: { id, suite: { name: id.split('#')[0] } },
    startedAt: `2026-01-01T00:00:${start}.000Z`,
    durationMs,
    status,
  });

  test('a failed suite: a line alone, and one with the suites that overlapped it, same --parallel/--cpus/seed/images', () => {
    const repro = buildRepro({
      config: { ...config, suites: SUITES.filter((s) => s.name !== 'performance'), cpus: 1.5, parallel: 2 },
      images,
      results: [
        at('api-workflows', '00', 10_000, 'passed'), // 0-10 s: overlaps security
        at('database', '10', 5_000, 'passed'), // 10-15 s: security started at 12 s
        at('streaming', '16', 5_000, 'failed'), // 16-21 s: overlaps security only
        at('security', '12', 8_000, 'failed'), // 12-20 s
        at('end-to-end', '21', 3_000, 'passed'), // starts as streaming ends: no overlap
      ],
    });
    const tail =
      '--seed 42 --parallel 2 --cpus 1.5 --image sha256:aa --postgres-image sha256:bb --redis-image sha256:cc --auth --timeout 600';
    expect(repro.failed.security.concurrent).toEqual(['database', 'streaming']);
    expect(repro.failed.security.alone).toBe(
      'npx pynomaly-it run --suite security --markers security,api --seed 42 --cpus 1.5 --image sha256:aa --postgres-image sha256:bb --redis-image sha256:cc --auth --timeout 600',
    );
    expect(repro.failed.security.underLoad).toBe(
      `npx pynomaly-it run --suite database --suite streaming --suite security --markers security,api ${tail}`,
    );
    expect(repro.failed.streaming.concurrent).toEqual(['security']);
    expect(Object.keys(repro.failed)).toEqual(['streaming', 'security']);
    expect(repro.run).toContain(
      '--suite api-workflows --suite database --suite streaming --suite security --suite end-to-end',
    );
    expect(repro.run).toContain(tail);
  });

  test("a suite that ran alone has no under-load line; --repeat is only in the whole run's line", () => {
    const repro = buildRepro({
      config: { ...config, repeat: 3, parallel: 1 },
      results: [
        at('security#1', '00', 5_000, 'failed'),
        at('database#1', '05', 5_000, 'passed'),
        at('security#2', '10', 1_000, 'timed_out'),
      ],
    });
    expect(repro.failed.security.underLoad).toBeUndefined();
    expect(repro.failed.security.concurrent).toEqual([]);
    expect(repro.failed.security.alone).not.toContain('--repeat');
    expect(repro.run).toContain('--seed 42 --repeat 3 --parallel 1');
  });
});

describe('run.json', () => {
  test('round-trips, with suites as names', () => {
    const parsed = JSON.parse(renderJson(sampleRecord()));
    expect(parsed.results[0].job.suite).toBe('database');
    expect(parsed.images.pynomaly).toBe('sha256:svc');
    expect(parsed.timings.imagesMs).toBe(2000);
    expect(parsed.repro.failed.security.alone).toContain('--suite security');
  });
});
