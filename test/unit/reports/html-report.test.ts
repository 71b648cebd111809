import { describe, expect, test } from 'vitest';
import { coverageByFolder, pct } from '../../../src/orchestrator/reports/coverage-folders.ts';
import {
  type FailureView,
  framesOf,
  messageOf,
  pickFrame,
  selectLogLines,
  snippet,
} from '../../../src/orchestrator/reports/failure-details.ts';
import { passCounts } from '../../../src/orchestrator/reports/flakes.ts';
import { renderHtml, successRate } from '../../../src/orchestrator/reports/html.ts';
import { renderBarChart, renderPerformanceCharts } from '../../../src/orchestrator/reports/perf-charts.ts';
import { timelineBars } from '../../../src/orchestrator/reports/timeline.ts';
import { repeatedSecurity, sampleRecord } from './fixtures.ts';

describe('summary and timeline', () => {
  test('success rate in suites with one decimal: 1 passed of 4', () => {
    expect(successRate(sampleRecord().results)).toBe('25.0%');
    expect(successRate([])).toBe('-');
    expect(renderHtml(sampleRecord())).toContain('id="success-rate">25.0%<');
  });

  test('a suite takes the first slot free when it started; never-started suites have no bar', () => {
    const base = sampleRecord().results;
    const at = (i: number, startedAt: string, durationMs: number) => ({ ...base[i], startedAt, durationMs });
    const bars = timelineBars([
      at(0, '2026-01-01T00:00:00.000Z', 10_000), // slot 1, 0-10 s
      at(1, '2026-01-01T00:00:01.000Z', 4_000), // slot 2, 1-5 s
      at(2, '2026-01-01T00:00:05.000Z', 3_000), // slot 2 again: free at 5 s
      { ...base[3], startedAt: undefined },
    ]);
    expect(bars.map((b) => [b.id, b.lane])).toEqual([
      ['database', 0],
      ['security', 1],
      ['streaming', 1],
    ]);
    expect(bars[0]).toMatchObject({ stackMs: 900, testsMs: 3000, teardownMs: 0 });
  });

  test('a teardown in the background is not drawn inside the bar (it came after the bar ended)', () => {
    const [a] = sampleRecord().results;
    const phases = { stackMs: 900, testsMs: 3000, teardownMs: 800 };
    const [inLane] = timelineBars([{ ...a, phases }]);
    const [behind] = timelineBars([{ ...a, phases: { ...phases, teardownInBackground: true } }]);
    expect(inLane.teardownMs).toBe(800);
    expect(behind.teardownMs).toBe(0);
  });

  test("the scheduler's slot, when the result records it", () => {
    const [a, b] = sampleRecord().results;
    expect(
      timelineBars([
        { ...a, slot: 1 },
        { ...b, slot: 0 },
      ]).map((x) => [x.id, x.lane]),
    ).toEqual([
      ['database', 1],
      ['security', 0],
    ]);
  });

  test('one bar per started suite in the HTML, with its phases in the title', () => {
    const html = renderHtml(sampleRecord());
    expect(html.match(/class="bar /g)).toHaveLength(2); // streaming and performance have no start time
    expect(html).toContain('database: passed, 4s (stack start 1s, tests 3s, teardown 0s)');
  });
});

describe('failure details', () => {
  const stack =
    'AssertionError: the body must match: expected 404 to be 201\n    at expectStatus (/repo/src/suites/fixtures/http-client.ts:47:9)\n    at /repo/src/suites/database/crud.test.ts:12:5\n    at file:///repo/node_modules/@vitest/runner/dist/x.js:1:2';

  test('the message without its frames; the frame in the test file first', () => {
    expect(messageOf(`\u001b[31m${stack}`)).toBe(
      'AssertionError: the body must match: expected 404 to be 201',
    );
    const frames = framesOf(stack);
    expect(frames).toHaveLength(3);
    expect(pickFrame(frames, 'src/suites/database/crud.test.ts')).toEqual({
      file: '/repo/src/suites/database/crud.test.ts',
      line: 12,
    });
    expect(pickFrame(frames, 'src/suites/database/other.test.ts')?.file).toContain('http-client.ts');
    expect(snippet('a\nb\nc\nd\ne\nf', 2)).toEqual([
      { n: 1, text: 'a' },
      { n: 2, text: 'b' },
      { n: 3, text: 'c' },
      { n: 4, text: 'd' },
    ]);
  });

  test('service log lines of the test window, and lines of a request id the message names', () => {
    const id = '9641f66e-cff3-491f-89fa-c5faf9c5e4bb';
    const log = [
      JSON.stringify({ level: 30, time: 1_000, msg: 'before' }),
      JSON.stringify({
        level: 30,
        time: 5_000,
        request_id: 'aaaa',
        req: { method: 'GET', url: '/x' },
        msg: 'in',
      }),
      JSON.stringify({ level: 50, time: 9_000, request_id: id, res: { statusCode: 500 }, msg: 'failed' }),
      'not json',
    ].join('\n');
    const lines = selectLogLines(log, { start: 4_000, end: 6_000 }, `got 500 (request_id ${id})`);
    expect(lines).toEqual([
      '00:00:05.000 INFO  aaaa GET /x in',
      `00:00:09.000 ERROR ${id.slice(0, 8)} → 500 failed`,
    ]);
  });

  test('the failure view: message, diff lines marked, source line, logs; all escaped', () => {
    const failure: FailureView = {
      jobId: 'security',
      file: 'src/suites/security/injection.test.ts',
      name: `rejects <script>alert("x")</script> & 'quotes'`,
      message: 'AssertionError: expected <b> to be 1',
      diff: '- Expected\n+ Received\n\n- 1\n+ <b>',
      source: {
        file: 'src/suites/security/injection.test.ts',
        line: 3,
        lines: [{ n: 3, text: 'expect(<i>)' }],
      },
      logLines: ['00:00:01.000 INFO  <oops>'],
      logWindow: 'the test',
      logFiles: ['security/logs/pynomaly.log'],
    };
    const html = renderHtml(sampleRecord(), { failures: [failure], performance: [] });
    expect(html).toContain('<pre class="msg">AssertionError: expected &lt;b&gt; to be 1</pre>');
    expect(html).toContain('<span class="ins">+ &lt;b&gt;</span>');
    expect(html).toContain('<span class="del">- 1</span>');
    expect(html).toContain('<span class="at"><span class="ln">    3 | </span>expect(&lt;i&gt;)</span>');
    expect(html).toContain('00:00:01.000 INFO  &lt;oops&gt;');
    expect(html).toContain('href="security/logs/pynomaly.log"');
    expect(html.split('<script>')).toHaveLength(2); // the report's own
    expect(html).not.toMatch(/<(b|i|oops)>/);
    // The failed test's row links to its failure view.
    expect(html).toMatch(/<a href="#fail-1">rejects &lt;script&gt;/);
  });
});

describe('tests table', () => {
  test('a row per test with suite, status, markers and name for the filters', () => {
    const base = sampleRecord();
    base.results[0].tests[0].tags = ['database', 'integration'];
    const html = renderHtml(base);
    expect(html).toContain(
      'data-suite="database" data-status="passed" data-markers="database integration" data-name="src/suites/database/crud.test.ts &gt; crud &gt; creates"',
    );
    expect(html).toContain('<option>integration</option>');
    expect(html).toContain('<label>name<input id="f-name" type="search"');
    expect(html.match(/<tr data-suite=/g)).toHaveLength(5);
  });
});

describe('performance charts', () => {
  const figures = {
    phases: [
      {
        name: 'predict',
        throughput_rps: 113.85,
        latency_ms: { p50: 40, p95: 215.2, p99: 300 },
        memory_before_bytes: 100 * 1024 * 1024,
        memory_after_bytes: 150 * 1024 * 1024,
      },
      { name: 'upload', throughput_rps: 36.4, latency_ms: { p50: 78, p95: 314, p99: 458 } },
    ],
    baseline_comparison: [
      {
        phase: 'predict',
        baseline: { throughput_rps: 291, p95_ms: 58 },
        regression: true,
        reason: 'p95 215.2 ms > 3× baseline 58',
      },
    ],
  };

  test('throughput and latency against the baseline, memory of the phases that measured it', () => {
    const html = renderPerformanceCharts(figures);
    expect(html.match(/<svg /g)).toHaveLength(3);
    expect(html).toContain('aria-label="Throughput per phase"');
    expect(html).toContain('<title>predict baseline: 291 requests/s</title>');
    expect(html).toContain('<title>predict baseline p95: 58 ms</title>');
    expect(html).toContain('<title>predict after: 150 MiB</title>');
    expect(html).not.toContain('upload before');
    expect(html).toContain('predict: p95 215.2 ms &gt; 3× baseline 58 (recorded, not failing)');
  });

  test('bar lengths follow the scale: twice the value, twice the bar on a linear axis', () => {
    const svg = renderBarChart({
      title: 't',
      unit: 'u',
      series: ['a'],
      rows: [
        { label: 'x', values: [50] },
        { label: 'y', values: [100] },
      ],
    });
    const widths = [...svg.matchAll(/<rect[^>]* width="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(widths[1] / widths[0]).toBeCloseTo(2, 1);
    expect(svg).toMatch(/<path class="grid" d="M[\d.]+,[\d.]+L[\d.]+,[\d.]+"/);
  });
});

describe('coverage and repeats', () => {
  test('line and branch coverage per service folder', () => {
    const folders = coverageByFolder({
      total: { lines: { total: 9, covered: 9 }, branches: { total: 9, covered: 9 } },
      '/r/containers/pynomaly/src/api/a.ts': {
        lines: { total: 10, covered: 5 },
        branches: { total: 4, covered: 1 },
      },
      '/r/containers/pynomaly/src/api/b.ts': {
        lines: { total: 10, covered: 10 },
        branches: { total: 0, covered: 0 },
      },
      '/r/containers/pynomaly/src/server.ts': {
        lines: { total: 4, covered: 4 },
        branches: { total: 2, covered: 2 },
      },
    });
    expect(folders.map((f) => [f.folder, pct(f.lines), pct(f.branches)])).toEqual([
      ['src', '100.0%', '100.0%'],
      ['src/api', '75.0%', '25.0%'],
    ]);
    const html = renderHtml(
      sampleRecord({ serviceCoverage: { lines: 80, statements: 80, functions: 70, branches: 60 } }),
      {
        failures: [],
        performance: [],
        coverageFolders: folders,
      },
    );
    expect(html).toContain('<tr><td>src/api</td><td class="num">75.0% <small>(15/20)</small></td>');
    expect(html).toContain('href="coverage/index.html"');
  });

  test('--repeat: each test passed n of m times; a test that both passed and failed is flaky', () => {
    const results = repeatedSecurity();
    expect(passCounts(results).map((p) => [p.name.slice(0, 7), p.passed, p.runs, p.flaky])).toEqual([
      ['rejects', 1, 2, true],
      ['login', 2, 2, false],
    ]);
    const html = renderHtml(sampleRecord({ results }));
    expect(html).toContain('<td class="num">1/2</td><td><span class="flaky">flaky</span>');
    expect(html).toContain('1 flaky test(s)');
  });
});
