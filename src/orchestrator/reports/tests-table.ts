import { formatDuration } from '../progress/model.ts';
import type { SuiteResult } from '../scheduler/types.ts';
import { escapeHtml as h } from './escape.ts';

const options = (values: readonly string[], all: string) =>
  [`<option value="">${h(all)}</option>`, ...values.map((v) => `<option>${h(v)}</option>`)].join('');

const duration = (ms: number) => (ms < 1000 ? `${ms} ms` : formatDuration(ms));

/**
 * Every test of the run in one table, with filters by suite, status, marker and name (the
 * report's inline script applies them; without it every row shows). Failed rows link to their
 * failure view (`failureIds`: "<job id>\0<file>\0<name>" → element id).
 */
export function renderTestsTable(
  results: readonly SuiteResult[],
  failureIds: ReadonlyMap<string, string>,
): string {
  const tests = results.flatMap((r) => r.tests.map((t) => ({ r, t })));
  if (tests.length === 0) return '<p>No test reported.</p>';
  const suites = [...new Set(results.filter((r) => r.tests.length > 0).map((r) => r.job.id))];
  const markers = [...new Set(tests.flatMap(({ t }) => t.tags ?? []))].sort();
  const statuses = [...new Set(tests.map(({ t }) => t.status))];
  const rows = tests
    .map(({ r, t }) => {
      const id = failureIds.get(`${r.job.id}\u0000${t.file}\u0000${t.name}`);
      const name = id ? `<a href="#${h(id)}">${h(t.name)}</a>` : h(t.name);
      const tags = (t.tags ?? []).map((m) => `<span class="tag">${h(m)}</span>`).join('');
      return `<tr data-suite="${h(r.job.id)}" data-status="${h(t.status)}" data-markers="${h((t.tags ?? []).join(' '))}" data-name="${h(`${t.file} > ${t.name}`.toLowerCase())}"><td>${h(r.job.id)}</td><td class="name">${name}<div class="file">${h(t.file)}</div></td><td>${tags}</td><td><span class="st st-${h(t.status)}">${h(t.status)}</span></td><td class="num">${h(duration(t.durationMs))}</td></tr>`;
    })
    .join('\n');
  return `<div class="filters" role="search" aria-label="filter the tests">
<label>suite<select id="f-suite">${options(suites, 'all suites')}</select></label>
<label>status<select id="f-status">${options(statuses, 'any status')}</select></label>
<label>marker<select id="f-marker">${options(markers, 'any marker')}</select></label>
<label>name<input id="f-name" type="search" placeholder="part of the file or test name"></label>
<span id="f-count" role="status" aria-live="polite">${tests.length} tests</span></div>
<div class="wrap"><table id="tests"><thead><tr><th scope="col">suite</th><th scope="col">test</th><th scope="col">markers</th><th scope="col">status</th><th scope="col" class="num">duration</th></tr></thead><tbody>
${rows}
</tbody></table></div>`;
}
