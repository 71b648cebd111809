/**
 * `npm run bench [-- --only stack-start,npm-test,full-run] [--iterations 10]`: measures, writes
 * bench/results/<date>.json and the table in bench/README.md, each figure beside its floor or
 * target measured in the same run.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { benchFullRun } from './full-run.ts';
import { benchNpmTest } from './npm-test.ts';
import { benchStackStart } from './stack-start.ts';

const ALL = ['stack-start', 'npm-test', 'full-run'] as const;
const { values } = parseArgs({
  options: { only: { type: 'string' }, iterations: { type: 'string', default: '10' } },
});
const only = (values.only?.split(',') ?? [...ALL]) as string[];
for (const name of only)
  if (!(ALL as readonly string[]).includes(name)) {
    process.stderr.write(`bench: unknown part "${name}"; parts: ${ALL.join(', ')}\n`);
    process.exit(2);
  }

const here = import.meta.dirname;
const results: Record<string, unknown> = {
  date: new Date().toISOString(),
  cores: (await import('node:os')).availableParallelism(),
};
const rows: string[] = [];
if (only.includes('stack-start')) {
  const s = await benchStackStart(Number(values.iterations));
  results.stackStart = s;
  rows.push(
    `| warm stack start, median (p95) of ${s.oursSeconds.n} | ${s.oursSeconds.median} s (${s.oursSeconds.p95} s) | docker run floor ${s.floorSeconds.median} s (${s.floorSeconds.p95} s); ratio ${s.ratioMedian} | ≤ 1.5 s and ≤ 1.3× |`,
  );
}
if (only.includes('npm-test')) {
  const t = await benchNpmTest();
  results.npmTest = t;
  for (const [project, r] of Object.entries(t))
    rows.push(
      `| npm test, ${project} project | ${r.seconds} s${r.passed ? '' : ' (FAILED)'} | | ${project === 'unit' ? '≤ 10 s' : 'all ≤ 120 s'} |`,
    );
}
if (only.includes('full-run')) {
  const f = await benchFullRun();
  results.fullRun = f;
  const shares = Object.entries(f.suites)
    .map(([id, s]) => `${id} ${Math.round(s.stackShare * 100)}%`)
    .join(', ');
  rows.push(
    `| full run (7 suites, warm images) | ${f.wallSeconds} s (exit ${f.exitCode}) | stack start+stop share: ${shares} | ≤ 60 s |`,
  );
}
const day = (results.date as string).slice(0, 10);
await writeFile(join(here, 'results', `${day}.json`), `${JSON.stringify(results, null, 2)}\n`);

// The table between the markers in bench/README.md, replaced with this run's figures.
const readme = join(here, 'README.md');
const text = await readFile(readme, 'utf8');
const table = [
  '<!-- bench:table -->',
  `Last \`npm run bench\`: ${results.date} on ${results.cores} cores (bench/results/${day}.json).`,
  '',
  '| what | measured | floor / same-run comparison | target |',
  '| --- | --- | --- | --- |',
  ...rows,
  '<!-- /bench:table -->',
].join('\n');
const marked = /<!-- bench:table -->[\s\S]*<!-- \/bench:table -->/;
await writeFile(
  readme,
  marked.test(text) ? text.replace(marked, table) : `${text.trimEnd()}\n\n## Speed\n\n${table}\n`,
);
process.stdout.write(
  `${rows.join('\n')}\nbench: results in bench/results/${day}.json, table in bench/README.md\n`,
);
