/**
 * Per-test pass counts over separate runs (each a run folder with run.json), the flake hunter's
 * table for a series of whole runs: `npx tsx scripts/count-runs.ts <label> <dir>... [--out F]`.
 * The label names the load level column (normal, or oversubscribed for --parallel 4 on 2 cores).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { LoadLevel } from '../src/orchestrator/config/types.ts';
import { countRuns, type HuntRun, verdict } from '../src/orchestrator/flakes/count.ts';
import { renderHuntTable } from '../src/orchestrator/flakes/table.ts';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { out: { type: 'string' } } });
const [label, ...dirs] = positionals;
if (!label || dirs.length === 0) {
  process.stderr.write('usage: count-runs.ts <normal|oversubscribed> <run dir>... [--out file]\n');
  process.exit(2);
}
const runs: HuntRun[] = dirs.map((dir) => {
  const record = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));
  return {
    load: label as LoadLevel,
    seed: record.config.seed,
    parallel: record.config.parallel,
    cpus: record.config.cpus,
    exitCode: record.exitCode,
    reportsDir: dir,
    results: record.results.map((r: { job: { suite: { name: string } | string; iteration: number } }) => ({
      ...r,
      job: {
        suite: typeof r.job.suite === 'string' ? r.job.suite : r.job.suite.name,
        iteration: r.job.iteration,
      },
    })),
  };
});
const counts = countRuns(runs);
const table = renderHuntTable(runs, counts, runs.length);
const flaky = counts.tests.filter((t) => verdict(t) !== 'ok');
const text = `${table}\n${runs.length} runs, exit codes ${runs.map((r) => r.exitCode).join(' ')}; ${flaky.length} test(s) failed at least once\n`;
if (values.out) writeFileSync(values.out, text);
process.stdout.write(text);
process.exit(flaky.length === 0 && runs.every((r) => r.exitCode === 0) ? 0 : 1);
