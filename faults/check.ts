/**
 * Checks one fault: builds its image (faults/fault-image.ts), runs its suite against it with the
 * normal runner, judges the outcome (faults/verdict.ts) and removes the image.
 */
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { REPO_ROOT } from '../src/orchestrator/images/definitions.ts';
import { runCommand } from '../src/orchestrator/images/run-command.ts';
import type { Fault } from './fault.ts';
import { buildFaultImage, type ImageTimings, removeImage } from './fault-image.ts';
import {
  displayName,
  type FailedTest,
  type FailedTestReport,
  judge,
  type Match,
  type Verdict,
} from './verdict.ts';

/** A suite that hangs must not hold the check forever; the runner's own timeout is 30 min. */
const SUITE_TIMEOUT_MS = 20 * 60_000;

export interface FaultResult {
  name: string;
  suite: string;
  auth: boolean;
  why: string;
  expect?: string;
  verdict: Verdict;
  /** caught or unverified. */
  caught: boolean;
  exitCode: number | null;
  /** The failed test and line that named `expect`. */
  matched?: Match;
  failedTests: FailedTest[];
  /** The matched line, else the first failure line, else why nothing failed. */
  message: string;
  /** build = service + compile + image (faults/fault-image.ts ImageTimings). */
  durationMs: { total: number; build: number; suite: number } & Partial<ImageTimings>;
  reportsDir: string;
  /** The correct service image the fault image was built FROM. */
  serviceImage?: string;
  checkedAt: string;
}

interface RunJson {
  results?: { tests?: (FailedTestReport & { status: string })[] }[];
}

async function failedReports(reportsDir: string): Promise<FailedTestReport[]> {
  try {
    const run = JSON.parse(await readFile(join(reportsDir, 'run.json'), 'utf8')) as RunJson;
    return (run.results ?? []).flatMap((r) => (r.tests ?? []).filter((t) => t.status === 'failed'));
  } catch {
    return [];
  }
}

function lastLine(output: string): string {
  return (
    output
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .at(-1) ?? ''
  );
}

export interface CheckOptions {
  seed?: string;
  /** Folder under which test_reports/<root>/<fault name>/ is written. */
  reportsRoot: string;
  log: (line: string) => void;
}

export async function checkFault(fault: Fault, options: CheckOptions): Promise<FaultResult> {
  const started = Date.now();
  const reportsDir = join(options.reportsRoot, fault.name);
  const base = {
    name: fault.name,
    suite: fault.suite,
    auth: Boolean(fault.auth),
    why: fault.why,
    ...(fault.expect !== undefined ? { expect: fault.expect } : {}),
    reportsDir: relative(REPO_ROOT, reportsDir),
  };
  options.log(`building (${fault.file}: ${fault.why})`);
  const image = await buildFaultImage(fault);
  const build = Date.now() - started;
  if (image.kind === 'broken')
    return {
      ...base,
      verdict: 'broken',
      caught: false,
      exitCode: null,
      failedTests: [],
      message: `the planted copy does not compile: ${image.errors.join(' | ')}`,
      durationMs: { total: Date.now() - started, build, suite: 0, ...image.ms },
      checkedAt: new Date().toISOString(),
    };
  try {
    await rm(reportsDir, { recursive: true, force: true });
    await mkdir(options.reportsRoot, { recursive: true });
    const argv = [
      'npx',
      'tsx',
      'src/orchestrator/cli.ts',
      'run',
      '--suite',
      fault.suite,
      '--image',
      image.tag,
      // Every test runs: vitest's bail counts a failed test's describe and file too, so the
      // default of 5 can stop a suite after two failures, before the test the fault names.
      '--max-failures',
      '0',
    ];
    if (fault.auth) argv.push('--auth');
    if (options.seed !== undefined) argv.push('--seed', options.seed);
    argv.push('--reports-dir', reportsDir);
    const { service, compile, image: docker } = image.ms;
    options.log(
      `image built in ${Math.round(build / 1000)} s (service image ${service} ms, type-check and compile ${compile} ms, ` +
        `docker build ${docker} ms); running ${argv.slice(3).join(' ')}`,
    );
    const suiteStarted = Date.now();
    const run = await runCommand(argv, { cwd: REPO_ROOT, timeoutMs: SUITE_TIMEOUT_MS });
    const suite = Date.now() - suiteStarted;
    const failed = await failedReports(reportsDir);
    const judgement = judge(run.code, failed, fault.expect);
    const failedTests = failed.map((t) => ({
      test: displayName(t),
      message: (t.failureMessages?.[0] ?? '').split('\n')[0].trim(),
    }));
    const message =
      judgement.matched?.line ||
      failedTests[0]?.message ||
      (run.timedOut
        ? `the suite did not finish within ${SUITE_TIMEOUT_MS / 60_000} min`
        : run.code === 0
          ? 'the suite passed: the fault went unnoticed'
          : `exit ${run.code}: ${lastLine(run.output)}`);
    return {
      ...base,
      verdict: judgement.verdict,
      caught: judgement.caught,
      exitCode: run.code,
      ...(judgement.matched ? { matched: judgement.matched } : {}),
      failedTests,
      message,
      durationMs: { total: Date.now() - started, build, suite, ...image.ms },
      serviceImage: image.serviceImage,
      checkedAt: new Date().toISOString(),
    };
  } finally {
    await removeImage(image.tag);
  }
}
