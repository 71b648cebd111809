/**
 * Fault check: proves each suite goes red, for the right reason, against a broken service. For
 * each fault of faults/catalog.ts: plant it in memory, type-check and compile the one changed
 * file, build an image FROM the correct service image with only that file replaced, run the
 * fault's suite against it with the normal runner and judge what failed (faults/verdict.ts).
 *
 *   npx tsx scripts/fault-check.ts [--fault <name> ...] [--suite <suite> ...] [--jobs N] [--seed <n>]
 *   npx tsx scripts/fault-check.ts --ci                 # the CI subset (faults marked ci: true)
 *   npx tsx scripts/fault-check.ts --candidates [--limit N] [--operator X] [--suite S]
 *
 * --candidates runs generated faults (faults/candidates.json, from scripts/fault-candidates.ts)
 * and lists the survivors: places where a suite is weak. --seed is passed to the runner.
 *
 * Writes faults/results.json (candidates: faults/candidates-results.json), prints a table and
 * exits 1 when a catalog fault was not caught (2: bad arguments or a crash).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { type Candidate, sampleCandidates } from '../faults/candidates.ts';
import { FAULTS, type Fault } from '../faults/catalog.ts';
import type { FaultResult } from '../faults/check.ts';
import { plant } from '../faults/plant.ts';
import { prepareTestcontainers } from '../src/orchestrator/engine/testcontainers-env.ts';
import { REPO_ROOT } from '../src/orchestrator/images/definitions.ts';
import { SUITE_NAMES } from '../src/orchestrator/suites/catalog.ts';

// testcontainers reads its Ryuk image when it loads: set first, then load what starts stacks.
await prepareTestcontainers();
const { checkFault } = await import('../faults/check.ts');
const { SERVICE_DIR } = await import('../faults/fault-image.ts');

const RESULTS_FILE = join(REPO_ROOT, 'faults/results.json');
const CANDIDATES_FILE = join(REPO_ROOT, 'faults/candidates.json');
const CANDIDATE_RESULTS_FILE = join(REPO_ROOT, 'faults/candidates-results.json');

async function readResults(file: string): Promise<FaultResult[]> {
  try {
    return (JSON.parse(await readFile(file, 'utf8')) as { faults: FaultResult[] }).faults;
  } catch {
    return [];
  }
}

/** A partial run keeps the recorded results of the other faults, in `order`. */
async function saveResults(file: string, results: FaultResult[], order: readonly { name: string }[]) {
  const previous = await readResults(file);
  const merged = order
    .map((f) => results.find((r) => r.name === f.name) ?? previous.find((r) => r.name === f.name))
    .filter((r): r is FaultResult => r !== undefined);
  await writeFile(
    file,
    `${JSON.stringify({ checkedAt: new Date().toISOString(), faults: merged }, null, 2)}\n`,
  );
}

function table(results: FaultResult[]): string {
  const rows = results.map((r) => [
    r.name,
    r.suite + (r.auth ? ' --auth' : ''),
    r.verdict,
    `${Math.round(r.durationMs.total / 1000)}s (${Math.round(r.durationMs.build / 1000)}+${Math.round(r.durationMs.suite / 1000)})`,
    r.message.length > 100 ? `${r.message.slice(0, 97)}...` : r.message,
  ]);
  const head = ['fault', 'suite', 'verdict', 'time (build+suite)', 'message'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  return [head, ...rows]
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i]))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** Runs `work` over `items`, at most `jobs` at a time, in order of start. */
async function pool<T, R>(items: readonly T[], jobs: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, items.length) }, worker));
  return results;
}

interface Selection {
  faults: Fault[];
  resultsFile: string;
  order: readonly { name: string }[];
  candidates: boolean;
}

async function select(values: {
  fault?: string[];
  suite?: string[];
  ci?: boolean;
  candidates?: boolean;
  limit?: string;
  operator?: string[];
}): Promise<Selection | string> {
  const suites = values.suite ?? [];
  const badSuite = suites.filter((s) => !(SUITE_NAMES as readonly string[]).includes(s));
  if (badSuite.length > 0)
    return `unknown suite(s): ${badSuite.join(', ')}; known: ${SUITE_NAMES.join(', ')}`;
  const inSuites = (f: Fault) => suites.length === 0 || suites.includes(f.suite);
  if (values.candidates) {
    let all: Candidate[];
    try {
      all = (JSON.parse(await readFile(CANDIDATES_FILE, 'utf8')) as { candidates: Candidate[] }).candidates;
    } catch {
      return `no ${relative(REPO_ROOT, CANDIDATES_FILE)}: run npx tsx scripts/fault-candidates.ts first`;
    }
    const limit = values.limit === undefined ? undefined : Number(values.limit);
    if (limit !== undefined && !(Number.isInteger(limit) && limit > 0))
      return `--limit must be a positive integer`;
    const wanted = values.fault ?? [];
    const chosen = sampleCandidates(
      all.filter((c) => inSuites(c) && (wanted.length === 0 || wanted.includes(c.name))),
      { limit, operators: values.operator },
    );
    return { faults: chosen, resultsFile: CANDIDATE_RESULTS_FILE, order: all, candidates: true };
  }
  const wanted = values.fault ?? [];
  const unknown = wanted.filter((w) => !FAULTS.some((f) => f.name === w));
  if (unknown.length > 0)
    return `unknown fault(s): ${unknown.join(', ')}; known: ${FAULTS.map((f) => f.name).join(', ')}`;
  const faults = FAULTS.filter(
    (f) => (wanted.length === 0 || wanted.includes(f.name)) && inSuites(f) && (!values.ci || f.ci),
  );
  return { faults, resultsFile: RESULTS_FILE, order: FAULTS, candidates: false };
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      fault: { type: 'string', multiple: true },
      suite: { type: 'string', multiple: true },
      jobs: { type: 'string', default: '1' },
      ci: { type: 'boolean', default: false },
      candidates: { type: 'boolean', default: false },
      limit: { type: 'string' },
      operator: { type: 'string', multiple: true },
      seed: { type: 'string' },
    },
  });
  const jobs = Number(values.jobs);
  if (!Number.isInteger(jobs) || jobs < 1) {
    console.error('--jobs must be a positive integer (2 is the most this 2-core machine makes use of)');
    return 2;
  }
  const selection = await select(values);
  if (typeof selection === 'string') {
    console.error(selection);
    return 2;
  }
  const { faults } = selection;
  if (faults.length === 0) {
    console.error('no fault matches the selection');
    return 2;
  }
  // Check every `find` before spending minutes on builds.
  for (const fault of faults) plant(await readFile(join(SERVICE_DIR, 'src', fault.file), 'utf8'), fault);

  const started = Date.now();
  const reportsRoot = join(REPO_ROOT, 'test_reports', selection.candidates ? 'fault-candidates' : 'faults');
  const done: FaultResult[] = [];
  const results = await pool(faults, jobs, async (fault) => {
    const log = (line: string) => console.log(`[${fault.name}] ${line}`);
    const result = await checkFault(fault, { seed: values.seed, reportsRoot, log });
    log(
      `${result.verdict} (exit ${result.exitCode}, ${Math.round(result.durationMs.total / 1000)} s): ${result.message}`,
    );
    done.push(result);
    await saveResults(selection.resultsFile, done, selection.order);
    return result;
  });

  const seconds = Math.round((Date.now() - started) / 1000);
  console.log(
    `\n${table(results)}\n\n${results.length} fault(s) in ${seconds} s; results: ${relative(REPO_ROOT, selection.resultsFile)}`,
  );
  const unverified = results.filter((r) => r.verdict === 'unverified');
  if (unverified.length > 0)
    console.warn(
      `warning: unverified reason (the fault has no \`expect\`): ${unverified.map((r) => r.name).join(', ')}`,
    );
  if (selection.candidates) {
    const survived = results.filter((r) => r.verdict === 'missed');
    console.log(
      survived.length > 0
        ? `survived (the suite passed: it is weak there):\n${survived.map((r) => `  ${r.name} (${r.suite}): ${r.why}`).join('\n')}`
        : 'no candidate survived',
    );
    return 0;
  }
  const missed = results.filter((r) => !r.caught);
  if (missed.length > 0)
    console.error(`not caught: ${missed.map((r) => `${r.name} (${r.verdict})`).join(', ')}`);
  return missed.length > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(2);
  },
);
