import { formatDuration } from '../progress/model.ts';
import { counts, type SuiteResult } from '../scheduler/types.ts';
import { escapeHtml as h } from './escape.ts';
import { flakeSummary } from './flakes.ts';
import type { RunRecord } from './model.ts';

const COLOR: Record<string, string> = {
  passed: '#1a7f37',
  failed: '#cf222e',
  timed_out: '#bc4c00',
  error: '#cf222e',
  interrupted: '#8250df',
  not_run: '#6e7781',
};

/** A relative link, each path segment URL-encoded, then HTML-escaped. */
function link(path: string, text: string): string {
  const href = path.split('/').map(encodeURIComponent).join('/');
  return `<a href="${h(href)}">${h(text)}</a>`;
}

function suiteSection(r: SuiteResult, reportsDir: string): string {
  const failed = r.tests.filter((t) => t.status === 'failed');
  const links = [
    link(`${r.dir}/junit.xml`, 'junit.xml'),
    link(`${r.dir}/vitest.log`, 'vitest.log'),
    ...r.logFiles.map((f) =>
      link(f.startsWith(reportsDir) ? f.slice(reportsDir.length + 1) : f, f.split('/').pop() ?? f),
    ),
    ...(r.coverageDir ? [link(`${r.dir}/coverage/index.html`, 'coverage')] : []),
  ];
  const failures = failed
    .map(
      (t) =>
        `<details><summary>${h(t.file)} &rsaquo; ${h(t.name)}</summary><pre>${h(t.failureMessages.join('\n\n'))}</pre></details>`,
    )
    .join('\n');
  const tail = r.serviceLogTail
    ? `<details><summary>service log (last lines)</summary><pre>${h(r.serviceLogTail)}</pre></details>`
    : '';
  return `<section id="${h(r.job.id)}"><h2>${h(r.job.id)} <span class="st" style="background:${COLOR[r.status] ?? '#6e7781'}">${h(r.status.replace('_', ' '))}</span></h2>
<p>${r.error ? `<strong>${h(r.error)}</strong><br>` : ''}${links.join(' · ')}</p>
${failures}${tail}</section>`;
}

/** index.html: self-contained (inline CSS, no scripts), every value escaped. */
export function renderHtml(record: RunRecord): string {
  const rows = record.results
    .map((r) => {
      const c = counts(r.tests);
      return `<tr><td><a href="#${h(encodeURIComponent(r.job.id))}">${h(r.job.id)}</a></td><td><span class="st" style="background:${COLOR[r.status] ?? '#6e7781'}">${h(r.status.replace('_', ' '))}</span></td><td>${c.passed}</td><td>${c.failed}</td><td>${c.skipped}</td><td>${h(formatDuration(r.phases.stackMs ?? 0))}</td><td>${h(formatDuration(r.durationMs))}</td></tr>`;
    })
    .join('\n');
  const flakes = flakeSummary(record.results);
  const flakeTable =
    record.results.some((r) => r.job.iteration > 1) && flakes.length > 0
      ? `<h2>Failures across iterations</h2><table><tr><th>suite</th><th>test</th><th>failed in</th><th>passed in</th></tr>${flakes
          .map(
            (f) =>
              `<tr><td>${h(f.suite)}</td><td>${h(f.test)}</td><td>${f.failedIn.join(', ')}</td><td>${f.passedIn.join(', ')}</td></tr>`,
          )
          .join('')}</table>`
      : '';
  const code = record.serviceCoverage
    ? `<h2>Service code coverage</h2><p>lines ${record.serviceCoverage.lines}% · branches ${record.serviceCoverage.branches}% · functions ${record.serviceCoverage.functions}% · ${link('coverage/index.html', 'report')}</p>`
    : '';
  const api = record.apiCoverage
    ? `<h2>API coverage: ${record.apiCoverage.covered}/${record.apiCoverage.total} operations</h2>
<table><tr><th>method</th><th>path</th><th>calls</th><th>statuses</th></tr>${record.apiCoverage.operations
        .map(
          (o) =>
            `<tr${o.calls === 0 ? ' class="miss"' : ''}><td>${h(o.method)}</td><td>${h(o.path)}</td><td>${o.calls}</td><td>${h(
              Object.entries(o.statuses)
                .map(([s, n]) => `${s}×${n}`)
                .join(' '),
            )}</td></tr>`,
        )
        .join('')}</table>`
    : '';
  const repro = Object.entries(record.repro?.failed ?? {})
    .map(
      ([suite, r]) =>
        `<p>${h(suite)} alone:</p><pre>${h(r.alone)}</pre>${
          r.underLoad
            ? `<p>${h(suite)} under the load it failed in (with ${h(r.concurrent.join(', '))}):</p><pre>${h(r.underLoad)}</pre>`
            : ''
        }`,
    )
    .join('');
  const images = record.images
    ? `<p>images: service <code>${h(record.images.pynomaly)}</code>, postgres <code>${h(record.images.postgres)}</code>, redis <code>${h(record.images.redis)}</code></p>`
    : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>pynomaly-it ${h(record.runId)}</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:2em;color:#1f2328}
table{border-collapse:collapse}td,th{border:1px solid #d0d7de;padding:4px 8px;text-align:left}
.st{color:#fff;border-radius:4px;padding:1px 6px;font-size:12px}
tr.miss td{color:#cf222e}
pre{background:#f6f8fa;padding:8px;overflow:auto;max-height:30em;white-space:pre-wrap}
</style></head><body>
<h1>pynomaly-it run ${h(record.runId)}${record.interrupted ? ' (interrupted, partial)' : ''}</h1>
<p>started ${h(record.startedAt)} · duration ${h(formatDuration(record.durationMs ?? 0))} · seed ${h(String(record.config.seed))} · exit code ${h(String(record.exitCode ?? ''))}</p>
${images}
${record.setupError ? `<p><strong>Set-up error:</strong> ${h(record.setupError)}</p>` : ''}
<table><tr><th>suite</th><th>status</th><th>passed</th><th>failed</th><th>skipped</th><th>stack start</th><th>duration</th></tr>
${rows}</table>
${flakeTable}
${code}
${api}
${record.results
  .filter((r) => r.status !== 'not_run')
  .map((r) => suiteSection(r, record.reportsDir))
  .join('\n')}
<h2>Reproduce</h2>${repro}<p>whole run:</p><pre>${h(record.repro?.run ?? '')}</pre>
<p>${link('junit.xml', 'junit.xml')} · ${link('summary.txt', 'summary.txt')} · ${link('run.json', 'run.json')} · ${link('repro.sh', 'repro.sh')}</p>
</body></html>
`;
}
