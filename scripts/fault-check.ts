/**
 * Fault check: proves each suite goes red against a broken service. For every fault of
 * faults/catalog.ts, one at a time: copy containers/pynomaly to a temp folder, plant the fault,
 * build an image from the copy, run the fault's suite against it with the normal runner and
 * record what failed. A fault is caught when the suite exits 1 (a test failed); 0 means the suite
 * missed it and 2 a setup error (neither counts as caught).
 *
 *   npx tsx scripts/fault-check.ts [--fault <name> ...] [--seed <n>]
 *
 * --seed is passed to the runner (reproduce a result); without it each run draws its own seed.
 *
 * Writes faults/results.json, prints a table, exits 1 when any fault was not caught.
 */
import '../src/orchestrator/engine/testcontainers-env.ts';
import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { FAULTS, type Fault } from '../faults/catalog.ts';
import { plant } from '../faults/plant.ts';
import { docker } from '../src/orchestrator/engine/client.ts';
import { type ImageDefinition, projectImages, REPO_ROOT } from '../src/orchestrator/images/definitions.ts';
import { realImageEngine } from '../src/orchestrator/images/engine-ops.ts';
import { resolveNamed } from '../src/orchestrator/images/index.ts';
import { runCommand } from '../src/orchestrator/images/run-command.ts';

const SERVICE_DIR = join(REPO_ROOT, 'containers/pynomaly');
const RESULTS_FILE = join(REPO_ROOT, 'faults/results.json');
const REPORTS_ROOT = join(REPO_ROOT, 'test_reports/faults');
/** Build output and installed dependencies: never copied (node_modules is linked instead). */
const NOT_COPIED = new Set(['node_modules', '.image', 'dist']);
/** A suite that hangs must not hold the check forever; the runner's own timeout is 30 min. */
const SUITE_TIMEOUT_MS = 20 * 60_000;

interface FailedTest {
  test: string;
  /** First line of the first failure message. */
  message: string;
}

interface FaultResult {
  name: string;
  suite: string;
  auth: boolean;
  why: string;
  caught: boolean;
  exitCode: number | null;
  failedTests: FailedTest[];
  /** First failure line, or why nothing failed. */
  message: string;
  durationMs: { total: number; build: number; suite: number };
  reportsDir: string;
  checkedAt: string;
}

/** A copy of the service without build output; node_modules is a link to the original. */
async function copyService(fault: Fault): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `pynomaly-it-fault-${fault.name}-`));
  await cp(SERVICE_DIR, dir, {
    recursive: true,
    filter: (source) => {
      const rel = relative(SERVICE_DIR, source);
      return rel === '' || !NOT_COPIED.has(rel.split(sep)[0]);
    },
  });
  await symlink(join(SERVICE_DIR, 'node_modules'), join(dir, 'node_modules'), 'dir');
  const file = join(dir, 'src', fault.file);
  await writeFile(file, plant(await readFile(file, 'utf8'), fault));
  return dir;
}

/** The service's own image definition, pointed at the broken copy (same staging and label). */
function faultDefinition(fault: Fault, dir: string): ImageDefinition {
  const service = projectImages().find((d) => d.name === 'pynomaly');
  if (!service) throw new Error('no pynomaly image definition in src/orchestrator/images/definitions.ts');
  return {
    ...service,
    name: `pynomaly-fault-${fault.name}`,
    dir,
    stage: (scratch) => ({
      command: ['bash', join(dir, 'scripts/stage-image.sh'), scratch],
      context: scratch,
    }),
  };
}

async function removeImage(tag: string): Promise<void> {
  try {
    await (await docker()).getImage(tag).remove({ force: true });
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode !== 404) throw error;
  }
}

interface RunJson {
  results?: {
    tests?: { file: string; name: string; status: string; failureMessages?: string[] }[];
    error?: unknown;
  }[];
}

async function failedTests(reportsDir: string): Promise<FailedTest[]> {
  let run: RunJson;
  try {
    run = JSON.parse(await readFile(join(reportsDir, 'run.json'), 'utf8')) as RunJson;
  } catch {
    return [];
  }
  return (run.results ?? []).flatMap((r) =>
    (r.tests ?? [])
      .filter((t) => t.status === 'failed')
      .map((t) => ({
        test: `${t.file.replace(/^src\/suites\//, '')} > ${t.name}`,
        message: (t.failureMessages?.[0] ?? '').split('\n')[0].trim(),
      })),
  );
}

function lastLine(output: string): string {
  const lines = output
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  return lines.at(-1) ?? '';
}

async function checkFault(fault: Fault, nodeRuntime: string, seed?: string): Promise<FaultResult> {
  const started = Date.now();
  const tag = `pynomaly-it-fault/${fault.name}:latest`;
  const reportsDir = join(REPORTS_ROOT, fault.name);
  const dir = await copyService(fault);
  let build = 0;
  let suite = 0;
  try {
    console.log(`[${fault.name}] building ${tag} (${fault.file}: ${fault.why})`);
    await realImageEngine().build(faultDefinition(fault, dir), tag, { NODE_IMAGE: nodeRuntime });
    build = Date.now() - started;
    await rm(reportsDir, { recursive: true, force: true });
    await mkdir(REPORTS_ROOT, { recursive: true });
    const argv = ['npx', 'tsx', 'src/orchestrator/cli.ts', 'run', '--suite', fault.suite, '--image', tag];
    if (fault.auth) argv.push('--auth');
    if (seed !== undefined) argv.push('--seed', seed);
    argv.push('--reports-dir', reportsDir);
    console.log(`[${fault.name}] running ${argv.slice(3).join(' ')}`);
    const suiteStarted = Date.now();
    const run = await runCommand(argv, { cwd: REPO_ROOT, timeoutMs: SUITE_TIMEOUT_MS });
    suite = Date.now() - suiteStarted;
    const failed = await failedTests(reportsDir);
    const caught = run.code === 1 && failed.length > 0;
    const message =
      failed[0]?.message ||
      (run.timedOut
        ? `the suite did not finish within ${SUITE_TIMEOUT_MS / 60_000} min`
        : run.code === 0
          ? 'the suite passed: the fault went unnoticed'
          : `exit ${run.code}: ${lastLine(run.output)}`);
    return {
      name: fault.name,
      suite: fault.suite,
      auth: Boolean(fault.auth),
      why: fault.why,
      caught,
      exitCode: run.code,
      failedTests: failed,
      message,
      durationMs: { total: Date.now() - started, build, suite },
      reportsDir: relative(REPO_ROOT, reportsDir),
      checkedAt: new Date().toISOString(),
    };
  } finally {
    await removeImage(tag);
    await rm(dir, { recursive: true, force: true });
  }
}

function table(results: FaultResult[]): string {
  const rows = results.map((r) => [
    r.name,
    r.suite + (r.auth ? ' --auth' : ''),
    r.caught ? 'caught' : 'MISSED',
    `${Math.round(r.durationMs.total / 1000)}s`,
    r.message.length > 110 ? `${r.message.slice(0, 107)}...` : r.message,
  ]);
  const head = ['fault', 'suite', 'result', 'time', 'first failure'];
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

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { fault: { type: 'string', multiple: true }, seed: { type: 'string' } },
  });
  const wanted = values.fault ?? [];
  const unknown = wanted.filter((w) => !FAULTS.some((f) => f.name === w));
  if (unknown.length > 0) {
    console.error(`unknown fault(s): ${unknown.join(', ')}; known: ${FAULTS.map((f) => f.name).join(', ')}`);
    return 2;
  }
  const faults = wanted.length > 0 ? FAULTS.filter((f) => wanted.includes(f.name)) : [...FAULTS];
  // Check every `find` before spending minutes on builds.
  for (const fault of faults) plant(await readFile(join(SERVICE_DIR, 'src', fault.file), 'utf8'), fault);

  const [runtime] = (await resolveNamed(['node-runtime'])).requested;
  const results: FaultResult[] = [];
  for (const fault of faults) {
    const result = await checkFault(fault, runtime.ref, values.seed);
    console.log(
      `[${fault.name}] ${result.caught ? 'caught' : 'NOT CAUGHT'} (exit ${result.exitCode}, ` +
        `${Math.round(result.durationMs.total / 1000)} s): ${result.message}`,
    );
    results.push(result);
  }

  // A run of some faults keeps the recorded results of the others.
  let previous: FaultResult[] = [];
  try {
    previous = (JSON.parse(await readFile(RESULTS_FILE, 'utf8')) as { faults: FaultResult[] }).faults;
  } catch {
    previous = [];
  }
  const merged = FAULTS.map(
    (f) => results.find((r) => r.name === f.name) ?? previous.find((r) => r.name === f.name),
  ).filter((r): r is FaultResult => r !== undefined);
  await writeFile(
    RESULTS_FILE,
    `${JSON.stringify({ checkedAt: new Date().toISOString(), faults: merged }, null, 2)}\n`,
  );
  console.log(`\n${table(results)}\n\nresults: ${relative(REPO_ROOT, RESULTS_FILE)}`);
  const missed = results.filter((r) => !r.caught);
  if (missed.length > 0) console.error(`not caught: ${missed.map((r) => r.name).join(', ')}`);
  return missed.length > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  },
);
