import { describe, expect, test } from 'vitest';
import { escapeHtml, shellQuote } from '../../../src/orchestrator/reports/escape.ts';
import { renderHtml } from '../../../src/orchestrator/reports/html.ts';
import { renderJson } from '../../../src/orchestrator/reports/json.ts';
import { reproCommand, reproScript } from '../../../src/orchestrator/reports/repro.ts';
import { renderTextSummary } from '../../../src/orchestrator/reports/text.ts';
import { SUITES } from '../../../src/orchestrator/suites/catalog.ts';
import { sampleRecord } from './fixtures.ts';

describe('HTML report', () => {
  const html = renderHtml(sampleRecord());

  test('escapes test names, messages and log tails: no injected markup survives', () => {
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<oops>');
    expect(html).not.toContain('<b>');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quotes&#39;');
    expect(html).not.toContain('\u001b');
  });

  test('is self-contained: no external scripts or stylesheets', () => {
    expect(html).not.toMatch(/<script|<link|src=/i);
  });

  test('status per suite, links to logs and junit, repro commands', () => {
    for (const s of ['database', 'security', 'streaming', 'performance']) expect(html).toContain(`>${s}<`);
    expect(html).toContain('timed out');
    expect(html).toContain('href="database/logs/pynomaly.log"');
    expect(html).toContain('href="security/junit.xml"');
    expect(html).toContain('npx pynomaly-it run --suite security --seed 1234');
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
    expect(text).toContain('images: service sha256:svc');
  });

  test('how long each phase took: engine, images, the slowest stack start, tests and teardown', () => {
    expect(text).toContain('phases: engine 0.0 s, images 2.0 s, stack start 0.9 s, tests 3.0 s');
    expect(text).toContain('(slowest suite of 4)');
  });

  test('an interrupted run says its reports are partial', () => {
    expect(renderTextSummary(sampleRecord({ interrupted: true }))).toContain('INTERRUPTED, partial');
  });

  test('--repeat: which tests failed in which iteration', () => {
    const base = sampleRecord();
    const security = base.results[1];
    const again = {
      ...security,
      job: { ...security.job, id: 'security#2', iteration: 2 },
      status: 'passed' as const,
      tests: security.tests.map((t) => ({ ...t, status: 'passed' as const, failureMessages: [] })),
    };
    const first = { ...security, job: { ...security.job, id: 'security#1' } };
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
  };

  test('carries suites, markers, seed, image IDs and the flags that change what runs', () => {
    const cmd = reproCommand({
      config,
      images: { pynomaly: 'sha256:aa', postgres: 'sha256:bb', redis: 'sha256:cc' },
    });
    expect(cmd).toBe(
      'npx pynomaly-it run --suite database --suite security --markers security,api --seed 42 --image sha256:aa --postgres-image sha256:bb --redis-image sha256:cc --auth --timeout 600',
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
    const script = reproScript({
      runId: 'r1',
      repro: { run: 'npx pynomaly-it run --seed 1', failed: { security: 'npx x' } },
    });
    expect(script.startsWith('#!/bin/sh\n')).toBe(true);
    expect(script).toContain('exec npx pynomaly-it run --seed 1');
    expect(script).toContain('#   security: npx x');
  });
});

describe('run.json', () => {
  test('round-trips, with suites as names', () => {
    const parsed = JSON.parse(renderJson(sampleRecord()));
    expect(parsed.results[0].job.suite).toBe('database');
    expect(parsed.images.pynomaly).toBe('sha256:svc');
    expect(parsed.timings.imagesMs).toBe(2000);
    expect(parsed.repro.failed.security).toContain('--suite security');
  });
});
