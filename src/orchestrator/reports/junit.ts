import { counts, type SuiteResult } from '../scheduler/types.ts';
import { escapeXml } from './escape.ts';
import type { RunRecord } from './model.ts';

const seconds = (ms: number) => (ms / 1000).toFixed(3);

function firstLine(text: string): string {
  return text.split('\n').find((l) => l.trim()) ?? text;
}

/** A testcase for what went wrong outside the tests (timeout, stack error, never run). */
function suiteLevelCase(
  result: SuiteResult,
): { kind: 'error' | 'skipped'; name: string; text: string } | undefined {
  if (result.status === 'timed_out')
    return { kind: 'error', name: '(suite timed out)', text: result.error ?? 'timed out' };
  if (result.status === 'error')
    return { kind: 'error', name: '(suite set-up)', text: result.error ?? 'error' };
  if (result.status === 'interrupted')
    return { kind: 'error', name: '(suite interrupted)', text: result.error ?? 'the run was interrupted' };
  if (result.status === 'not_run')
    return { kind: 'skipped', name: '(suite not run)', text: result.error ?? 'not run' };
  return undefined;
}

function testsuite(result: SuiteResult): string {
  const c = counts(result.tests);
  const extra = suiteLevelCase(result);
  const errors = extra?.kind === 'error' ? 1 : 0;
  const skipped = c.skipped + (extra?.kind === 'skipped' ? 1 : 0);
  const cases = result.tests.map((t) => {
    // `file`: GitLab links a failed test to its source with it.
    const open = `    <testcase classname="${escapeXml(`${result.job.suite.name}.${t.file}`)}" name="${escapeXml(t.name)}" file="${escapeXml(t.file)}" time="${seconds(t.durationMs)}"`;
    if (t.status === 'passed') return `${open}/>`;
    if (t.status === 'skipped') return `${open}>\n      <skipped/>\n    </testcase>`;
    const body = t.failureMessages.join('\n\n');
    return `${open}>\n      <failure message="${escapeXml(firstLine(body))}" type="AssertionError">${escapeXml(body)}</failure>\n    </testcase>`;
  });
  if (extra) {
    const open = `    <testcase classname="${escapeXml(result.job.suite.name)}" name="${escapeXml(extra.name)}" time="0">`;
    cases.push(
      extra.kind === 'error'
        ? `${open}\n      <error message="${escapeXml(firstLine(extra.text))}" type="${result.status}">${escapeXml(extra.text)}</error>\n    </testcase>`
        : `${open}\n      <skipped message="${escapeXml(extra.text)}"/>\n    </testcase>`,
    );
  }
  const attrs = [
    `name="${escapeXml(result.job.id)}"`,
    `tests="${c.total + (extra ? 1 : 0)}"`,
    `failures="${c.failed}"`,
    `errors="${errors}"`,
    `skipped="${skipped}"`,
    `time="${seconds(result.durationMs)}"`,
    result.startedAt ? `timestamp="${escapeXml(result.startedAt)}"` : '',
  ]
    .filter(Boolean)
    .join(' ');
  return `  <testsuite ${attrs}>\n${cases.join('\n')}\n  </testsuite>`;
}

/** One <testsuite> per job (suite × iteration); timed-out suites carry an error testcase. */
export function renderJunit(record: RunRecord): string {
  const all = record.results.map((r) => ({ c: counts(r.tests), e: suiteLevelCase(r) }));
  const total = all.reduce((n, x) => n + x.c.total + (x.e ? 1 : 0), 0);
  const failures = all.reduce((n, x) => n + x.c.failed, 0);
  const errors = all.reduce((n, x) => n + (x.e?.kind === 'error' ? 1 : 0), 0);
  const time = seconds(record.durationMs ?? 0);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="pynomaly-it ${escapeXml(record.runId)}" tests="${total}" failures="${failures}" errors="${errors}" time="${time}">`,
    ...record.results.map(testsuite),
    '</testsuites>',
    '',
  ].join('\n');
}
