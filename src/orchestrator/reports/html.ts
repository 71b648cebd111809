import { formatDuration } from '../progress/model.ts';
import { counts, isFailure, type SuiteResult } from '../scheduler/types.ts';
import { pct } from './coverage-folders.ts';
import { escapeHtml as h } from './escape.ts';
import { link, renderFailure } from './failure-view.ts';
import { flakeSummary, passCounts } from './flakes.ts';
import { SCRIPT, STYLE } from './html-assets.ts';
import type { RunRecord } from './model.ts';
import { renderPerformanceCharts } from './perf-charts.ts';
import { NO_EXTRAS, type ReportExtras } from './report-extras.ts';
import { renderTestsTable } from './tests-table.ts';
import { renderTimeline } from './timeline.ts';

const badge = (status: string) => `<span class="st st-${h(status)}">${h(status.replace('_', ' '))}</span>`;

/** Suites that passed over every suite of the run, one decimal ("-" for none). */
export function successRate(results: readonly SuiteResult[]): string {
  if (results.length === 0) return '-';
  return `${((100 * results.filter((r) => r.status === 'passed').length) / results.length).toFixed(1)}%`;
}

function summaryBox(record: RunRecord): string {
  const passed = record.results.filter((r) => r.status === 'passed').length;
  const failed = record.results.filter((r) => isFailure(r.status)).length;
  const other = record.results.length - passed - failed;
  const images = record.images
    ? `service <code>${h(record.images.pynomaly)}</code>, postgres <code>${h(record.images.postgres)}</code>, redis <code>${h(record.images.redis)}</code>`
    : 'not resolved';
  const command = record.repro?.run ?? '';
  const cell = (label: string, value: string, cls = '', id = '') =>
    `<div${cls ? ` class="${cls}"` : ''}><dt>${h(label)}</dt><dd${id ? ` id="${id}"` : ''}>${value}</dd></div>`;
  return `<dl class="summary" aria-label="summary">
${cell('suites', String(record.results.length), '', 'sum-total')}
${cell('passed', String(passed), passed > 0 ? 'ok' : '', 'sum-passed')}
${cell('failed', String(failed), failed > 0 ? 'bad' : '', 'sum-failed')}
${other > 0 ? cell('not run or interrupted', String(other)) : ''}
${cell('success rate (suites)', h(successRate(record.results)), failed > 0 ? 'bad' : 'ok', 'success-rate')}
${cell('duration', h(formatDuration(record.durationMs ?? 0)))}
${cell('seed', h(String(record.config.seed ?? '')), '', 'sum-seed')}
${cell('exit code', h(String(record.exitCode ?? '')))}
${cell('images', images, 'wide')}
${cell(
  'reproduce this run',
  `<div class="cmd"><pre id="repro-run">${h(command)}</pre><button type="button" data-copy="repro-run" aria-label="copy the reproduce command">Copy</button></div><span id="repro-run-said" role="status" aria-live="polite"></span>`,
  'wide',
)}
</dl>`;
}

function suitesTable(record: RunRecord): string {
  const rows = record.results
    .map((r) => {
      const c = counts(r.tests);
      return `<tr><td><a href="#suite-${h(encodeURIComponent(r.job.id))}">${h(r.job.id)}</a></td><td>${badge(r.status)}</td><td class="num">${c.passed}</td><td class="num">${c.failed}</td><td class="num">${c.skipped}</td><td class="num">${h(formatDuration(r.phases.stackMs ?? 0))}</td><td class="num">${h(formatDuration(r.durationMs))}</td></tr>`;
    })
    .join('\n');
  return `<div class="wrap"><table><thead><tr><th>suite</th><th>status</th><th class="num">passed</th><th class="num">failed</th><th class="num">skipped</th><th class="num">stack start</th><th class="num">duration</th></tr></thead><tbody>
${rows}</tbody></table></div>`;
}

function suiteSection(r: SuiteResult, reportsDir: string): string {
  const links = [
    link(`${r.dir}/junit.xml`, 'junit.xml'),
    link(`${r.dir}/vitest.log`, 'vitest.log'),
    link(`${r.dir}/results.json`, 'results.json'),
    ...r.logFiles.map((f) =>
      link(f.startsWith(reportsDir) ? f.slice(reportsDir.length + 1) : f, f.split('/').pop() ?? f),
    ),
    ...(r.coverageDir ? [link(`${r.dir}/coverage/index.html`, 'coverage')] : []),
  ];
  const tail = r.serviceLogTail
    ? `<details><summary>service log (last lines)</summary><pre>${h(r.serviceLogTail)}</pre></details>`
    : '';
  return `<section id="suite-${h(r.job.id)}" aria-labelledby="suite-${h(r.job.id)}-h"><h3 id="suite-${h(r.job.id)}-h">${h(r.job.id)} ${badge(r.status)}</h3>
<p>${r.error ? `<strong>${h(r.error)}</strong><br>` : ''}${links.join(' · ')}</p>
${tail}</section>`;
}

function coverageSection(record: RunRecord, extras: ReportExtras): string {
  if (!record.serviceCoverage && !record.apiCoverage) return '';
  const c = record.serviceCoverage;
  const code = c
    ? `<p>service source, all suites: lines ${c.lines}% · branches ${c.branches}% · functions ${c.functions}% · ${link('coverage/index.html', 'full coverage report')}</p>`
    : '';
  const folders = extras.coverageFolders?.length
    ? `<div class="wrap"><table id="coverage-folders"><thead><tr><th>folder</th><th class="num">lines</th><th class="num">branches</th></tr></thead><tbody>${extras.coverageFolders
        .map(
          (f) =>
            `<tr><td>${h(f.folder)}</td><td class="num">${pct(f.lines)} <small>(${f.lines.covered}/${f.lines.total})</small></td><td class="num">${pct(f.branches)} <small>(${f.branches.covered}/${f.branches.total})</small></td></tr>`,
        )
        .join('')}</tbody></table></div>`
    : '';
  const api = record.apiCoverage
    ? `<h3>API coverage: ${record.apiCoverage.covered}/${record.apiCoverage.total} operations</h3>
<div class="wrap"><table><thead><tr><th>method</th><th>path</th><th class="num">calls</th><th>statuses</th></tr></thead><tbody>${record.apiCoverage.operations
        .map(
          (o) =>
            `<tr${o.calls === 0 ? ' class="miss"' : ''}><td>${h(o.method)}</td><td>${h(o.path)}</td><td class="num">${o.calls}</td><td>${h(
              Object.entries(o.statuses)
                .map(([s, n]) => `${s}×${n}`)
                .join(' '),
            )}</td></tr>`,
        )
        .join('')}</tbody></table></div>`
    : '';
  return `<section id="coverage"><h2>Coverage</h2>${code}${folders}${api}</section>`;
}

function repeatSection(record: RunRecord): string {
  if (!record.results.some((r) => r.job.iteration > 1)) return '';
  const iterations = Math.max(...record.results.map((r) => r.job.iteration));
  const all = passCounts(record.results).sort(
    (a, b) => Number(b.flaky) - Number(a.flaky) || a.passed - b.passed,
  );
  const flaky = flakeSummary(record.results);
  return `<section id="repeats"><h2>Across ${iterations} iterations</h2>
<p>${all.filter((p) => p.flaky).length} flaky test(s) (passed in some iterations, failed in others); ${flaky.length} test(s) failed at least once.</p>
<div class="wrap"><table id="pass-counts"><thead><tr><th>suite</th><th>test</th><th class="num">passed</th><th></th></tr></thead><tbody>${all
    .map(
      (p) =>
        `<tr${p.flaky ? ' class="flaky-row"' : ''}><td>${h(p.suite)}</td><td>${h(p.name)}<div class="file">${h(p.file)}</div></td><td class="num">${p.passed}/${p.runs}</td><td>${p.flaky ? '<span class="flaky">flaky</span>' : p.passed === 0 ? 'always failed' : ''}</td></tr>`,
    )
    .join('')}</tbody></table></div></section>`;
}

function reproSection(record: RunRecord): string {
  const failed = Object.entries(record.repro?.failed ?? {})
    .map(
      ([suite, r]) =>
        `<p>${h(suite)} alone:</p><pre>${h(r.alone)}</pre>${
          r.underLoad
            ? `<p>${h(suite)} under the load it failed in (with ${h(r.concurrent.join(', '))}):</p><pre>${h(r.underLoad)}</pre>`
            : ''
        }`,
    )
    .join('');
  return `<section id="reproduce"><h2>Reproduce</h2>${failed}<p>whole run:</p><pre>${h(record.repro?.run ?? '')}</pre>
<p>${link('junit.xml', 'junit.xml')} · ${link('summary.txt', 'summary.txt')} · ${link('run.json', 'run.json')} · ${link('repro.sh', 'repro.sh')}</p></section>`;
}

/**
 * index.html: one self-contained file (inline CSS, one inline script, inline SVG; no network,
 * no external asset), every value escaped. `extras` are the figures read from the suites' folders.
 */
export function renderHtml(record: RunRecord, extras: ReportExtras = NO_EXTRAS): string {
  const failureIds = new Map<string, string>();
  const failures = extras.failures
    .map((f, i) => {
      const id = `fail-${i + 1}`;
      failureIds.set(`${f.jobId}\u0000${f.file}\u0000${f.name}`, id);
      return renderFailure(f, id);
    })
    .join('\n');
  const perf = extras.performance
    .map(
      (p, _, all) => `${all.length > 1 ? `<h3>${h(p.jobId)}</h3>` : ''}${renderPerformanceCharts(p.figures)}`,
    )
    .join('');
  const sections: [string, string, string][] = [
    ['summary', 'Summary', summaryBox(record) + suitesTable(record)],
    ['timeline', 'Timeline', renderTimeline(record.results)],
    ...(failures
      ? [['failures', `Failures (${extras.failures.length})`, failures] as [string, string, string]]
      : []),
    ['all-tests', 'Tests', renderTestsTable(record.results, failureIds)],
    ...(perf ? [['performance', 'Performance', perf] as [string, string, string]] : []),
  ];
  const nav = [
    ...sections.map(([id, title]) => [id, title]),
    ...(record.serviceCoverage || record.apiCoverage ? [['coverage', 'Coverage']] : []),
    ...(record.results.some((r) => r.job.iteration > 1) ? [['repeats', 'Iterations']] : []),
    ['suites', 'Suites'],
    ['reproduce', 'Reproduce'],
  ]
    .map(([id, title]) => `<a href="#${id}">${h(title)}</a>`)
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>pynomaly-it ${h(record.runId)}</title>
<style>${STYLE}</style></head><body>
<header><h1>pynomaly-it run ${h(record.runId)}${record.interrupted ? ' (interrupted, partial)' : ''}</h1>
<p>started ${h(record.startedAt)} · ${h(record.command)}</p>
${record.setupError ? `<p><strong>Set-up error:</strong> ${h(record.setupError)}</p>` : ''}
<nav aria-label="sections">${nav}</nav></header>
<main>
${sections.map(([id, title, body]) => `<section id="${id}"><h2>${h(title)}</h2>${body}</section>`).join('\n')}
${coverageSection(record, extras)}
${repeatSection(record)}
<section id="suites"><h2>Suites</h2>${record.results
    .filter((r) => r.status !== 'not_run')
    .map((r) => suiteSection(r, record.reportsDir))
    .join('\n')}</section>
${reproSection(record)}
</main>
<script>${SCRIPT}</script>
</body></html>
`;
}
