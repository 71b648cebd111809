import { cp, mkdtemp, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { RunRecord } from '../../src/orchestrator/reports/model.ts';
import { writeReports } from '../../src/orchestrator/reports/write.ts';
import { SUITES } from '../../src/orchestrator/suites/catalog.ts';
import { type Chromium, launchChromium, type Page } from './chromium.ts';

const FIXTURE = resolve('test/engine/fixtures/report-run');

/**
 * A run folder from a real run (seven suites, two slots, one failed end-to-end test, the
 * performance suite's figures), laid out as the runner leaves it; logs are stored as .log.txt
 * (the repository ignores *.log) and frames name the repository as <root>.
 */
async function runFolder(): Promise<RunRecord> {
  const dir = await mkdtemp(join(tmpdir(), 'report-run-'));
  await cp(FIXTURE, dir, { recursive: true });
  const logs = join(dir, 'end-to-end', 'logs');
  for (const f of await readdir(logs)) await rename(join(logs, f), join(logs, f.replace(/\.txt$/, '')));
  const failures = join(dir, 'end-to-end', 'failures.json');
  await writeFile(failures, (await readFile(failures, 'utf8')).replaceAll('<root>', process.cwd()));
  const stored = JSON.parse(await readFile(join(dir, 'record.json'), 'utf8'));
  return {
    ...stored,
    config: { ...stored.config, cwd: process.cwd() },
    reportsDir: dir,
    results: stored.results.map((r: { job: { suite: string }; logFiles: string[] }) => ({
      ...r,
      job: { ...r.job, suite: SUITES.find((s) => s.name === r.job.suite) },
      logFiles: r.logFiles.map((f) => join(dir, f)),
    })),
  };
}

describe('the HTML report in headless Chromium', () => {
  let browser: Chromium;
  let page: Page;
  let record: RunRecord;
  let url: string;

  beforeAll(async () => {
    record = await runFolder();
    await writeReports(record);
    url = pathToFileURL(join(record.reportsDir, 'index.html')).href;
    browser = await launchChromium();
    page = await browser.newPage();
    await page.open(url, { width: 1400 });
  });
  afterAll(async () => {
    await browser?.close();
  });

  test('the summary gives the success rate in suites, one decimal (6 of 7 passed)', async () => {
    expect(await page.evaluate('document.getElementById("success-rate").textContent')).toBe('85.7%');
    expect(await page.evaluate('document.getElementById("sum-total").textContent')).toBe('7');
    expect(await page.evaluate('document.getElementById("sum-failed").textContent')).toBe('1');
    expect(await page.evaluate('document.getElementById("repro-run").textContent')).toContain(
      '--seed 498222',
    );
  });

  test('the failure view opens with the failing test, its assertion message, its diff and the service log', async () => {
    const failure = await page.evaluate<{
      title: string;
      message: string;
      diff: string;
      log: string;
      links: string[];
    }>(`(() => {
      const f = document.querySelectorAll('#failures article.failure');
      if (f.length !== 1) return { title: 'expected one failure, got ' + f.length };
      const a = f[0];
      return {
        title: a.querySelector('h3').textContent,
        message: a.querySelector('pre.msg').textContent,
        diff: a.querySelector('pre.diff').textContent,
        log: a.querySelector('pre.log')?.textContent ?? '',
        links: [...a.querySelectorAll('a')].map((l) => l.getAttribute('href')),
      };
    })()`);
    expect(failure.title, 'the failing test is named').toContain(
      'security-analyst monitoring > watch a live session, get alerts, acknowledge and resolve them',
    );
    expect(failure.message).toBe(
      'AssertionError: every alert must be a stored event: expected 148 to be 118 // Object.is equality',
    );
    expect(failure.diff, 'expected/received diff').toContain('- 118');
    expect(failure.diff).toContain('+ 148');
    expect(failure.log, 'service log lines of the test window').toMatch(/\d\d:\d\d:\d\d\.\d{3} INFO/);
    expect(failure.links).toContain('end-to-end/logs/pynomaly.log');
  });

  test('one timeline bar per suite, in two slots', async () => {
    const bars = await page.evaluate<string[]>(
      '[...document.querySelectorAll("#timeline .bar")].map((b) => b.dataset.suite)',
    );
    expect(bars.sort()).toEqual(record.results.map((r) => r.job.id).sort());
    expect(await page.evaluate('document.querySelectorAll("#timeline .lane:not(.axis)").length')).toBe(2);
  });

  test('the performance charts are inline SVG: throughput, latency and memory', async () => {
    const charts = await page.evaluate<string[]>(
      '[...document.querySelectorAll("#performance svg")].map((s) => s.getAttribute("aria-label"))',
    );
    expect(charts).toEqual([
      'Throughput per phase',
      'Latency per phase',
      'Service memory before and after each phase',
    ]);
    expect(await page.evaluate('document.querySelectorAll("#performance svg rect").length')).toBeGreaterThan(
      8,
    );
  });

  test('the test table filters by status and name', async () => {
    const visible = () =>
      page.evaluate<number>(
        '[...document.querySelectorAll("#tests tbody tr")].filter((r) => !r.hidden).length',
      );
    expect(await visible()).toBe(record.results.reduce((n, r) => n + r.tests.length, 0));
    await page.evaluate(
      `(() => { const s = document.getElementById('f-status'); s.value = 'failed'; s.dispatchEvent(new Event('change')); })()`,
    );
    expect(await visible()).toBe(1);
    await page.evaluate(`(() => { const s = document.getElementById('f-status'); s.value = ''; s.dispatchEvent(new Event('change'));
      const n = document.getElementById('f-name'); n.value = 'Production-Deployment'; n.dispatchEvent(new Event('input')); })()`);
    expect(await visible()).toBe(1);
  });

  test('the page made no network request: the document was its only load', async () => {
    expect(page.requests).toEqual([url]);
  });

  test('the upstream names are written at the top of the run folder', async () => {
    const files = await readdir(record.reportsDir);
    expect(files).toEqual(
      expect.arrayContaining([
        'integration_test_summary.html',
        'integration_test_summary.txt',
        'junit_end-to-end.xml',
      ]),
    );
    expect(await readFile(join(record.reportsDir, 'integration_test_summary.html'), 'utf8')).toBe(
      await readFile(join(record.reportsDir, 'index.html'), 'utf8'),
    );
  });
});
