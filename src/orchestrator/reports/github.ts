/**
 * GitHub Actions' own output (when GITHUB_ACTIONS=true): one `::error` workflow command per
 * failed test, which GitHub shows on the line of the file, and a Markdown summary for the job's
 * page ($GITHUB_STEP_SUMMARY).
 */
import { stripVTControlCharacters } from 'node:util';
import { isFailure } from '../scheduler/types.ts';
import type { RunRecord } from './model.ts';

/** Workflow-command escaping: data (the message) and property values (file, title). */
const data = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const property = (s: string) => data(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

/** The line of `file` where the failure was raised, from the stack in its messages. */
export function failureLine(file: string, messages: readonly string[]): number | undefined {
  const escaped = file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`${escaped}:(\\d+):\\d+`).exec(messages.join('\n'));
  return match ? Number(match[1]) : undefined;
}

export function githubAnnotations(record: RunRecord): string[] {
  const lines: string[] = [];
  for (const result of record.results) {
    const failed = result.tests.filter((t) => t.status === 'failed');
    for (const t of failed) {
      const message = stripVTControlCharacters(t.failureMessages[0] ?? 'failed').split('\n    at ')[0];
      const line = failureLine(t.file, t.failureMessages);
      const where = `file=${property(t.file)}${line ? `,line=${line}` : ''}`;
      lines.push(`::error ${where},title=${property(`${result.job.id} › ${t.name}`)}::${data(message)}`);
    }
    if (failed.length === 0 && isFailure(result.status))
      lines.push(
        `::error title=${property(`${result.job.id} ${result.status}`)}::${data(result.error ?? result.status)}`,
      );
  }
  return lines;
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function githubStepSummary(record: RunRecord): string {
  const rows = record.results.map((r) => {
    const passed = r.tests.filter((t) => t.status === 'passed').length;
    const failed = r.tests.filter((t) => t.status === 'failed').length;
    const mark = isFailure(r.status) ? '❌' : r.status === 'passed' ? '✅' : '⚪';
    return `| ${mark} ${cell(r.job.id)} | ${r.status} | ${passed} | ${failed} | ${(r.durationMs / 1000).toFixed(1)} s |`;
  });
  const failures = record.results.flatMap((r) =>
    r.tests
      .filter((t) => t.status === 'failed')
      .map((t) => {
        const message = stripVTControlCharacters(t.failureMessages[0] ?? '').split('\n')[0];
        return `- **${cell(r.job.id)}** › ${cell(t.name)}: \`${cell(message).slice(0, 300)}\``;
      }),
  );
  const repro = Object.entries(record.repro?.failed ?? {}).map(
    ([suite, lines]) => `# ${suite}\n${lines.alone}`,
  );
  const verdict = record.exitCode === 0 ? '✅ passed' : `❌ exit code ${record.exitCode}`;
  return [
    `## pynomaly-it run ${record.runId}: ${verdict}`,
    '',
    `seed ${String(record.config.seed)}, ${((record.durationMs ?? 0) / 1000).toFixed(1)} s`,
    '',
    '| suite | status | passed | failed | time |',
    '| --- | --- | ---: | ---: | ---: |',
    ...rows,
    ...(failures.length ? ['', '### Failed tests', '', ...failures] : []),
    ...(repro.length ? ['', '### Reproduce locally', '', '```sh', ...repro, '```'] : []),
    '',
  ].join('\n');
}
