import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KILL_GRACE_MS } from '../config/defaults.ts';
import type { RunConfig } from '../config/types.ts';
import type { Logger } from '../logging/logger.ts';
import type { Progress } from '../progress/reporter.ts';
import { fetchApiCoverage } from '../reports/api-coverage.ts';
import { FAILURES_FILE_ENV } from '../reports/failure-reporter.ts';
import { renderServiceCoverage } from '../reports/service-coverage.ts';
import { jobDir, jobFiles } from '../scheduler/jobs.ts';
import type { SuiteJob, SuiteResult, SuiteStatus, TestOutcome } from '../scheduler/types.ts';
import { isFailure } from '../scheduler/types.ts';
import type { Session, StackRequest } from '../session/session.ts';
import type { WarmStacks } from '../session/warm-stacks.ts';
import { serveStackControl } from '../stack/control-server.ts';
import type { RunningStack } from '../stack/types.ts';
import { orderSeedOf } from './order-seed.ts';
import type { ProgressEvent } from './progress-events.ts';
import { readOutcomes } from './results.ts';
import { writeStackFile } from './stack-file.ts';
import type { BackgroundTeardowns } from './teardowns.ts';
import { vitestArgs } from './vitest-args.ts';
import { runVitestProcess } from './vitest-process.ts';

export const SERVICE_LOG_TAIL_LINES = 40;
const PROGRESS_REPORTER = fileURLToPath(new URL('./progress-reporter.ts', import.meta.url));
const FAILURE_REPORTER = fileURLToPath(new URL('../reports/failure-reporter.ts', import.meta.url));

export interface SuiteRunContext {
  config: RunConfig;
  /** Owns the stacks: Ctrl-C stops them all there. */
  session: Session;
  /** Where a job gets its stack: started ahead while the previous suites ran, or now. */
  stacks: WarmStacks;
  /** Where a job leaves its stack to be removed while the lane goes on. */
  teardowns: BackgroundTeardowns;
  logger: Logger;
  progress: Progress;
  /** Suites folder other than src/suites (the CLI's tests); see CommandDeps. */
  suitesRoot?: string;
}

/** What the artefacts of a finished suite add to its result. */
type Artefacts = Pick<
  SuiteResult,
  'logFiles' | 'serviceLogTail' | 'apiCoverage' | 'coverageDir' | 'serviceCoverage'
>;

/** What vitest's run against the stack came to. */
interface TestsOutcome {
  status: SuiteStatus;
  error?: string;
  tests: TestOutcome[];
  testsMs?: number;
}

/** Outcomes from the progress stream, for a suite stopped before vitest wrote its JSON. */
function outcomesFromProgress(events: ProgressEvent[]): TestOutcome[] {
  return events.flatMap((e) =>
    e.type === 'test' && e.state !== 'pending'
      ? [{ file: e.file, name: e.name, status: e.state, durationMs: 0, failureMessages: [] }]
      : [],
  );
}

/** The real suites' config, or the config next to an alternative suites folder (orchestrator tests). */
function suitesConfig(cwd: string, suitesRoot: string | undefined): string {
  const own = suitesRoot ? join(suitesRoot, 'vitest.config.ts') : undefined;
  return own && existsSync(own) ? relative(cwd, own) : 'vitest.suites.config.ts';
}

async function tail(file: string, lines: number): Promise<string> {
  try {
    return (await readFile(file, 'utf8')).trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/** What a job's stack is started with (its name, log folder and the suite's own settings). */
export function stackRequestOf(job: SuiteJob, config: RunConfig): StackRequest {
  return {
    // Label-safe: `security-limits`, `security-limits-2`.
    suite: [job.suite.name, job.part?.name, config.repeat > 1 ? job.iteration : undefined]
      .filter((x) => x !== undefined)
      .join('-'),
    reportsDir: join(config.reportsDir, jobDir(job, config.repeat)),
    extraEnv: { ...job.suite.serviceEnv, ...job.part?.serviceEnv },
    coverage: config.coverage,
  };
}

/**
 * One job: a fresh stack, its endpoints file, vitest in its own process group, logs,
 * coverage, then the stack removed (or kept with --keep when the suite failed). The result is
 * built once, at the end, and frozen.
 */
export async function runSuiteJob(
  job: SuiteJob,
  signal: AbortSignal,
  slot: number,
  ctx: SuiteRunContext,
): Promise<SuiteResult> {
  const { config, progress } = ctx;
  const dir = jobDir(job, config.repeat);
  const outDir = join(config.reportsDir, dir);
  const started = Date.now();
  const done = (outcome: TestsOutcome, rest: Partial<SuiteResult>): SuiteResult => {
    const { status, error } = outcome;
    progress.status(job.id, status, error && status !== 'failed' ? error.split('\n')[0] : undefined);
    return Object.freeze({
      job,
      slot,
      status,
      startedAt: new Date(started).toISOString(),
      durationMs: Date.now() - started,
      phases: {},
      tests: outcome.tests,
      dir,
      logFiles: [],
      ...(error ? { error } : {}),
      ...rest,
    });
  };
  await mkdir(outDir, { recursive: true });
  progress.status(job.id, 'starting');

  let stack: RunningStack;
  const taken = ctx.stacks.take(job);
  try {
    stack = await taken.stack;
  } catch (error) {
    const status = signal.aborted ? 'interrupted' : 'error';
    const message = `stack did not start: ${(error as Error).message}`;
    return done({ status, error: message, tests: [] }, { phases: { stackMs: Date.now() - started } });
  }
  const stackMs = Date.now() - started;
  // The next job's stack starts while this one tests (exclusive suites keep the machine to themselves).
  if (!job.suite.exclusive && !signal.aborted) ctx.stacks.prepareNext();
  const stackPhase = { stackMs, ...(taken.warm ? { stackWarm: true } : {}) };
  let outcome: TestsOutcome;
  let artefacts: Artefacts = { logFiles: [] };
  try {
    // An exclusive job measures: no earlier stack may still be going away beside it.
    if (job.suite.exclusive) await ctx.teardowns.settled();
    outcome = signal.aborted
      ? { status: 'interrupted', error: 'the run was interrupted', tests: [] }
      : await runTests(stack, job, outDir, signal, ctx);
    artefacts = await collectArtefacts(stack, outDir, job, ctx, isFailure(outcome.status));
  } catch (error) {
    outcome = {
      status: signal.aborted ? 'interrupted' : 'error',
      error: (error as Error).message,
      tests: [],
    };
  }
  const orderSeed = orderSeedOf(config.seed);
  const keep = config.keep && isFailure(outcome.status) && !signal.aborted;
  if (keep) {
    const e = stack.endpoints;
    const kept = {
      httpUrl: e.httpUrl,
      wsUrl: e.wsUrl,
      postgresUrl: e.postgresUrl,
      redisUrl: e.redisUrl,
      admin: e.admin,
      authEnabled: e.authEnabled,
      stackFile: join(outDir, 'stack.json'),
    };
    return done(outcome, {
      orderSeed,
      phases: { ...stackPhase, testsMs: outcome.testsMs },
      ...artefacts,
      kept,
    });
  }
  // Logs and coverage are out: the stack goes in the background (its time lands in the report
  // once the run's teardowns have settled).
  ctx.teardowns.add(job, () => stack.stop());
  const phases = { ...stackPhase, testsMs: outcome.testsMs };
  return done(outcome, { orderSeed, phases, ...artefacts });
}

/** vitest in its own process group against the stack, and what its JSON (or progress) says. */
async function runTests(
  stack: RunningStack,
  job: SuiteJob,
  outDir: string,
  signal: AbortSignal,
  ctx: SuiteRunContext,
): Promise<TestsOutcome> {
  const stackFile = join(outDir, 'stack.json');
  // The suite reaches the orchestrator through this channel; the file is rewritten when the stack moves.
  const control = await serveStackControl(stack, (moved) => writeStackFile(stackFile, moved, control.url));
  try {
    await writeStackFile(stackFile, stack.endpoints, control.url);
    return await runVitest(stackFile, job, outDir, signal, ctx);
  } finally {
    await control.close();
  }
}

async function runVitest(
  stackFile: string,
  job: SuiteJob,
  outDir: string,
  signal: AbortSignal,
  ctx: SuiteRunContext,
): Promise<TestsOutcome> {
  const { config, progress } = ctx;
  progress.status(job.id, 'running');
  const events: ProgressEvent[] = [];
  const testsStarted = Date.now();
  const suitesRoot = ctx.suitesRoot ? resolve(config.cwd, ctx.suitesRoot) : undefined;
  const exit = await runVitestProcess({
    cwd: config.cwd,
    args: vitestArgs({
      ...jobFiles(job, suitesRoot ? join(suitesRoot, job.suite.name) : job.suite.dir),
      outDir,
      progressReporter: PROGRESS_REPORTER,
      failureReporter: FAILURE_REPORTER,
      maxFailures: config.maxFailures,
      failFast: config.failFast,
      tagsFilter: config.tagsFilter,
      seed: orderSeedOf(config.seed),
      configFile: suitesConfig(config.cwd, suitesRoot),
    }),
    env: { PYNOMALY_IT_STACK_FILE: stackFile, [FAILURES_FILE_ENV]: join(outDir, 'failures.json') },
    logFile: join(outDir, 'vitest.log'),
    timeoutMs: config.timeoutMs,
    graceMs: KILL_GRACE_MS,
    signal,
    onProgress: (event) => {
      events.push(event);
      progress.test(job.id, event);
    },
  });
  const testsMs = Date.now() - testsStarted;
  const fromJson =
    exit.outcome === 'exited' ? await readOutcomes(join(outDir, 'results.json'), config.cwd) : undefined;
  const tests = fromJson ?? outcomesFromProgress(events);
  const vitestLog = () => tail(join(outDir, 'vitest.log'), 15);
  if (exit.outcome === 'timed_out')
    return {
      status: 'timed_out',
      error: `stopped after ${config.timeoutMs / 1000} s (--timeout)`,
      tests,
      testsMs,
    };
  if (exit.outcome === 'aborted')
    return { status: 'interrupted', error: 'the run was interrupted', tests, testsMs };
  if (!fromJson)
    return {
      status: 'error',
      error: `vitest exited with code ${exit.code} and wrote no results:\n${await vitestLog()}`,
      tests,
      testsMs,
    };
  if (tests.some((t) => t.status === 'failed')) return { status: 'failed', tests, testsMs };
  if (exit.code === 0) return { status: 'passed', tests, testsMs };
  return {
    status: 'error',
    error: `vitest exited with code ${exit.code}:\n${await vitestLog()}`,
    tests,
    testsMs,
  };
}

async function collectArtefacts(
  stack: RunningStack,
  outDir: string,
  job: SuiteJob,
  ctx: SuiteRunContext,
  failed: boolean,
): Promise<Artefacts> {
  const artefacts: Artefacts = { logFiles: [] };
  try {
    artefacts.logFiles = await stack.saveLogs(join(outDir, 'logs'));
  } catch (error) {
    ctx.logger.warn({ suite: job.id, err: (error as Error).message }, 'could not save container logs');
  }
  if (failed) {
    try {
      // Lines cut at 400 characters: a log line can carry a huge URL; the saved log has it all.
      artefacts.serviceLogTail = (await stack.serviceLogTail(SERVICE_LOG_TAIL_LINES))
        .split('\n')
        .map((line) => (line.length > 400 ? `${line.slice(0, 400)}…` : line))
        .join('\n');
      ctx.logger.error(
        { suite: job.id },
        `${job.id}: last ${SERVICE_LOG_TAIL_LINES} lines of the service log:\n${artefacts.serviceLogTail}`,
      );
    } catch {
      // Logs are already saved when they can be read at all.
    }
  }
  if (ctx.config.coverage) {
    artefacts.apiCoverage = await fetchApiCoverage(
      stack.endpoints.httpUrl,
      stack.endpoints.authEnabled ? stack.endpoints.admin : undefined,
    );
    if (artefacts.apiCoverage)
      await writeFile(
        join(outDir, 'api-coverage.json'),
        `${JSON.stringify(artefacts.apiCoverage, null, 2)}\n`,
      );
    try {
      artefacts.coverageDir = await stack.collectCoverage(join(outDir, 'coverage-raw'));
      if (artefacts.coverageDir) {
        const report = await renderServiceCoverage({
          rawDirs: [artefacts.coverageDir],
          outDir: join(outDir, 'coverage'),
          serviceRoot: join(ctx.config.cwd, 'containers/pynomaly'),
        });
        artefacts.serviceCoverage = report?.summary;
      }
    } catch (error) {
      ctx.logger.warn({ suite: job.id, err: (error as Error).message }, 'could not collect coverage');
    }
  }
  return artefacts;
}
