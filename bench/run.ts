/**
 * `npm run bench [-- --part stack-start,load --part npm-test] [--iterations 10] [--note "..."]`
 * (`--render`: only redraw the table from today's results):
 * measures the named parts (all when none: stack-start, full-run, cold-run, npm-test, load),
 * writes bench/results/<date>.json (this run's parts in place of the day's earlier ones) and the
 * table in bench/README.md, each figure beside its floor measured in the same run. `--only` is
 * the older spelling of `--part`. Every part is bounded in time and removes what it started.
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { benchColdRun } from './cold-run.ts';
import { benchFullRun } from './full-run.ts';
import { gitState, loadAverage } from './lib/machine.ts';
import {
  type DayResults,
  type FiguresOf,
  mergeResults,
  type Part,
  type PartRecord,
  selectParts,
} from './lib/results.ts';
import { round } from './lib/stats.ts';
import { renderTable, replaceTable } from './lib/table.ts';
import { benchLoad } from './load.ts';
import { benchNpmTest } from './npm-test.ts';
import { benchStackStart } from './stack-start.ts';

const { values } = parseArgs({
  options: {
    part: { type: 'string', multiple: true, default: [] },
    only: { type: 'string' },
    iterations: { type: 'string', default: '10' },
    note: { type: 'string' },
    /** Only re-render bench/README.md's table from today's results file. */
    render: { type: 'boolean', default: false },
  },
});
let parts: Part[];
try {
  parts = selectParts([...(values.part ?? []), ...(values.only ? [values.only] : [])]);
} catch (error) {
  process.stderr.write(`bench: ${(error as Error).message}\n`);
  process.exit(2);
}
const iterations = Number(values.iterations);
if (!Number.isInteger(iterations) || iterations < 1 || iterations > 50) {
  process.stderr.write('bench: --iterations must be an integer from 1 to 50\n');
  process.exit(2);
}

const here = import.meta.dirname;
const root = join(here, '..');
const log = (line: string) => process.stdout.write(`${line}\n`);

const measure: { [P in Part]: () => Promise<FiguresOf[P]> } = {
  'stack-start': () => benchStackStart(iterations, log),
  'full-run': () => benchFullRun(root, log),
  'cold-run': () => benchColdRun(root, log),
  'npm-test': () => benchNpmTest(root, log),
  load: () => benchLoad(root, log),
};

async function record<P extends Part>(part: P): Promise<PartRecord<P>> {
  const start = loadAverage();
  const measuredAt = new Date().toISOString();
  const git = await gitState(root);
  const t = performance.now();
  const base = { measuredAt, git, ...(values.note ? { note: values.note } : {}) };
  try {
    const figures = await measure[part]();
    return {
      ...base,
      seconds: round((performance.now() - t) / 1000, 1),
      loadAverage: { start, end: loadAverage() },
      figures,
    };
  } catch (error) {
    log(`bench: ${part} failed: ${(error as Error).message}`);
    return {
      ...base,
      seconds: round((performance.now() - t) / 1000, 1),
      loadAverage: { start, end: loadAverage() },
      error: (error as Error).message.split('\n')[0].slice(0, 300),
    };
  }
}

/** After each part: the day's file and the README table, so a later part's failure loses nothing. */
async function save(now: DayResults, write = true): Promise<string> {
  const day = now.updatedAt.slice(0, 10);
  const file = join(here, 'results', `${day}.json`);
  const earlier = existsSync(file) ? JSON.parse(await readFile(file, 'utf8')) : undefined;
  const merged = write ? mergeResults(earlier, now) : (earlier as DayResults);
  if (write) await writeFile(file, `${JSON.stringify(merged, null, 2)}\n`);
  const readme = join(here, 'README.md');
  const block = renderTable(merged, `bench/results/${day}.json`);
  await writeFile(readme, replaceTable(await readFile(readme, 'utf8'), block));
  return block;
}

if (values.render) {
  log(await save({ updatedAt: new Date().toISOString(), cores: availableParallelism(), parts: {} }, false));
  process.exit(0);
}
let failed = false;
for (const part of parts) {
  log(`bench: ${part} (load average ${loadAverage().join(', ')})`);
  const r = await record(part);
  failed ||= r.error !== undefined;
  const block = await save({
    updatedAt: new Date().toISOString(),
    cores: availableParallelism(),
    parts: { [part]: r },
  });
  if (part === parts[parts.length - 1]) log(block);
}
log('bench: results in bench/results/, table in bench/README.md');
process.exit(failed ? 1 : 0);
