import { formatDuration } from '../progress/model.ts';
import { counts } from '../scheduler/types.ts';
import { stripAnsi } from './escape.ts';
import { flakeSummary } from './flakes.ts';
import type { RunRecord } from './model.ts';

const STATUS: Record<string, string> = {
  passed: 'PASSED',
  failed: 'FAILED',
  timed_out: 'TIMED OUT',
  error: 'ERROR',
  interrupted: 'INTERRUPTED',
  not_run: 'NOT RUN',
  queued: 'NOT RUN',
  starting: 'INTERRUPTED',
  running: 'INTERRUPTED',
};

function percent(n: number, total: number): string {
  return total === 0 ? '-' : `${Math.round((100 * n) / total)}%`;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** How long each phase took: engine check, image resolution, then per suite the slowest stack start. */
function phaseLine(record: RunRecord): string | undefined {
  const { engineMs, imagesMs } = record.timings;
  if (engineMs === undefined) return undefined;
  const parts = [`engine ${seconds(engineMs)}`];
  if (imagesMs !== undefined) parts.push(`images ${seconds(imagesMs)}`);
  const phases = record.results.map((r) => r.phases);
  const slowest = (key: 'stackMs' | 'testsMs' | 'teardownMs') =>
    Math.max(0, ...phases.map((p) => p[key] ?? 0));
  if (phases.length > 0)
    parts.push(
      `stack start ${seconds(slowest('stackMs'))}`,
      `tests ${seconds(slowest('testsMs'))}`,
      `teardown ${seconds(slowest('teardownMs'))} (slowest suite of ${phases.length})`,
    );
  return `phases: ${parts.join(', ')}`;
}

/** summary.txt and the summary printed at the end of a run. */
export function renderTextSummary(record: RunRecord): string {
  const lines: string[] = [];
  const head = record.interrupted ? ' (INTERRUPTED, partial)' : '';
  lines.push(`pynomaly-it run ${record.runId}${head}`);
  if (record.images)
    lines.push(
      `images: service ${record.images.pynomaly}, postgres ${record.images.postgres}, redis ${record.images.redis}`,
    );
  const orderSeed = record.results.find((r) => r.orderSeed !== undefined)?.orderSeed;
  const order = orderSeed !== undefined ? ` (files and tests shuffled, order seed ${orderSeed})` : '';
  lines.push(`seed: ${String(record.config.seed)}${order}   reports: ${record.reportsDir}`);
  const phases = phaseLine(record);
  if (phases) lines.push(phases);
  if (record.setupError) lines.push('', `SET-UP ERROR: ${record.setupError}`);
  if (record.results.length > 0) {
    const width = Math.max(5, ...record.results.map((r) => r.job.id.length));
    lines.push(
      '',
      `${'suite'.padEnd(width)}  ${'status'.padEnd(11)} ${'passed'.padStart(6)} ${'failed'.padStart(6)} ${'skipped'.padStart(7)} ${'time'.padStart(7)}`,
    );
    for (const r of record.results) {
      const c = counts(r.tests);
      lines.push(
        `${r.job.id.padEnd(width)}  ${(STATUS[r.status] ?? r.status).padEnd(11)} ${String(c.passed).padStart(6)} ${String(c.failed).padStart(6)} ${String(c.skipped).padStart(7)} ${formatDuration(r.durationMs).padStart(7)}`,
      );
    }
    const all = counts(record.results.flatMap((r) => r.tests));
    lines.push(
      `${'total'.padEnd(width)}  ${''.padEnd(11)} ${String(all.passed).padStart(6)} ${String(all.failed).padStart(6)} ${String(all.skipped).padStart(7)} ${formatDuration(record.durationMs ?? 0).padStart(7)}`,
    );
  }
  for (const r of record.results) {
    const failed = r.tests.filter((t) => t.status === 'failed');
    if (failed.length === 0 && !r.error) continue;
    if (r.status === 'not_run') continue;
    lines.push('', `--- ${r.job.id}: ${STATUS[r.status] ?? r.status}`);
    if (r.error) lines.push(`    ${r.error}`);
    for (const t of failed) {
      lines.push(`  x ${t.file} > ${t.name}`);
      const message = stripAnsi(t.failureMessages[0] ?? '')
        .split('\n')
        .slice(0, 4);
      for (const m of message) lines.push(`      ${m}`);
    }
    if (r.kept)
      lines.push(
        `  stack kept: ${r.kept.httpUrl}  psql ${r.kept.postgresUrl}  redis-cli -u ${r.kept.redisUrl}`,
      );
    lines.push(`  logs: ${record.reportsDir}/${r.dir}/logs/`);
  }
  if (record.serviceCoverage) {
    const c = record.serviceCoverage;
    lines.push(
      '',
      `Service code coverage (src/*.ts, all suites): lines ${c.lines}%, branches ${c.branches}%, functions ${c.functions}%  (${record.reportsDir}/coverage/index.html)`,
    );
    for (const r of record.results)
      if (r.serviceCoverage) lines.push(`  ${r.job.id}: lines ${r.serviceCoverage.lines}%`);
  }
  if (record.apiCoverage) {
    const c = record.apiCoverage;
    lines.push(
      '',
      `API operations exercised (from the service's /metrics): ${c.covered}/${c.total} (${percent(c.covered, c.total)})`,
    );
    for (const r of record.results)
      if (r.apiCoverage) lines.push(`  ${r.job.id}: ${r.apiCoverage.covered}/${r.apiCoverage.total}`);
    const missed = c.operations.filter((o) => o.calls === 0);
    if (missed.length > 0)
      lines.push(`  not exercised: ${missed.map((o) => `${o.method} ${o.path}`).join(', ')}`);
  }
  const flakes = flakeSummary(record.results);
  if (record.results.some((r) => r.job.iteration > 1) && flakes.length > 0) {
    lines.push('', 'Flaky or failing across iterations:');
    for (const f of flakes)
      lines.push(
        `  ${f.suite}: ${f.test} failed in iteration(s) ${f.failedIn.join(', ')}; passed in ${f.passedIn.join(', ') || 'none'}`,
      );
  }
  const failedRepro = Object.entries(record.repro?.failed ?? {});
  if (failedRepro.length > 0) {
    lines.push('', 'Reproduce failed suites locally:');
    for (const [suite, r] of failedRepro) {
      lines.push(`  # ${suite} alone`, `  ${r.alone}`);
      if (r.underLoad)
        lines.push(
          `  # ${suite} under the load it failed in (with ${r.concurrent.join(', ')})`,
          `  ${r.underLoad}`,
        );
      else lines.push(`  # ${suite} ran with no other suite at the same time`);
    }
  }
  if (record.repro) lines.push('', `Reproduce this run: ${record.repro.run}`);
  if (record.exitCode !== undefined) lines.push(`exit code: ${record.exitCode}`);
  return `${lines.join('\n')}\n`;
}
