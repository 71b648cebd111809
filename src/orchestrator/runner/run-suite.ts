import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KILL_GRACE_MS } from '../config/defaults.ts';
import type { RunConfig } from '../config/types.ts';
import type { Logger } from '../logging/logger.ts';
import type { Progress } from '../progress/reporter.ts';
import { fetchApiCoverage } from '../reports/api-coverage.ts';
import { renderServiceCoverage } from '../reports/service-coverage.ts';
import { jobDir } from '../scheduler/jobs.ts';
import type { SuiteJob, SuiteResult, SuiteStatus, TestOutcome } from '../scheduler/types.ts';
import { isFailure } from '../scheduler/types.ts';
import type { RunningStack } from '../stack/types.ts';
import { core } from './core-glue.ts';
import { orderSeedOf } from './order-seed.ts';
import type { ProgressEvent } from './progress-events.ts';
import { readOutcomes } from './results.ts';
import { vitestArgs } from './vitest-args.ts';
import { runVitestProcess } from './vitest-process.ts';

export const SERVICE_LOG_TAIL_LINES = 40;
const PROGRESS_REPORTER = fileURLToPath(new URL('./progress-reporter.ts', import.meta.url));

export interface SuiteRunContext {
  config: RunConfig;
  images: { pynomaly: string; postgres: string; redis: string };
  logger: Logger;
  progress: Progress;
  /** Stacks up right now: the signal handler stops them all at once. */
  liveStacks: Set<RunningStack>;
  /** Stacks left up by --keep for failed suites. */
  keptStacks: { job: SuiteJob; stack: RunningStack }[];
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

/**
 * One job: a fresh stack, its endpoints file, vitest in its own process group, logs,
 * coverage, then the stack removed (or kept with --keep when the suite failed).
 */
export async function runSuiteJob(
  job: SuiteJob,
  signal: AbortSignal,
  ctx: SuiteRunContext,
): Promise<SuiteResult> {
  const { config, progress } = ctx;
  const dir = jobDir(job, config.repeat);
  const outDir = join(config.reportsDir, dir);
  const started = Date.now();
  const result: SuiteResult = {
    job,
    status: 'starting',
    startedAt: new Date(started).toISOString(),
    durationMs: 0,
    phases: {},
    tests: [],
    dir,
    logFiles: [],
  };
  const finish = (status: SuiteStatus, error?: string) => {
    result.status = status;
    if (error) result.error = error;
    result.durationMs = Date.now() - started;
    progress.status(job.id, status, error && status !== 'failed' ? error.split('\n')[0] : undefined);
    return result;
  };
  await mkdir(outDir, { recursive: true });
  progress.status(job.id, 'starting');

  const { startStack } = await core();
  let stack: RunningStack;
  try {
    stack = await startStack({
      runId: config.runId,
      suite: config.repeat > 1 ? `${job.suite.name}-${job.iteration}` : job.suite.name,
      images: ctx.images,
      authEnabled: config.auth,
      logLevel: config.logLevel,
      seed: config.seed,
      cpus: config.cpus,
      coverage: config.coverage,
      extraEnv: { ...job.suite.serviceEnv, ...config.serviceEnv },
      reportsDir: outDir,
    });
  } catch (error) {
    result.phases.stackMs = Date.now() - started;
    return finish(
      signal.aborted ? 'interrupted' : 'error',
      `stack did not start: ${(error as Error).message}`,
    );
  }
  ctx.liveStacks.add(stack);
  result.phases.stackMs = Date.now() - started;
  let keep = false;
  try {
    if (signal.aborted) return finish('interrupted', 'the run was interrupted');
    const stackFile = join(outDir, 'stack.json');
    await writeFile(stackFile, `${JSON.stringify(stack.endpoints, null, 2)}\n`);
    progress.status(job.id, 'running');
    const orderSeed = orderSeedOf(config.seed);
    result.orderSeed = orderSeed;

    const events: ProgressEvent[] = [];
    const testsStarted = Date.now();
    const suitesRoot = config.suitesRoot ? resolve(config.cwd, config.suitesRoot) : undefined;
    const exit = await runVitestProcess({
      cwd: config.cwd,
      args: vitestArgs({
        dir: suitesRoot ? join(suitesRoot, job.suite.name) : job.suite.dir,
        outDir,
        progressReporter: PROGRESS_REPORTER,
        maxFailures: config.maxFailures,
        failFast: config.failFast,
        tagsFilter: config.tagsFilter,
        seed: orderSeed,
        configFile: suitesConfig(config.cwd, suitesRoot),
      }),
      env: { PYNOMALY_IT_STACK_FILE: stackFile },
      logFile: join(outDir, 'vitest.log'),
      timeoutMs: config.timeoutMs,
      graceMs: KILL_GRACE_MS,
      signal,
      onProgress: (event) => {
        events.push(event);
        progress.test(job.id, event);
      },
    });
    result.phases.testsMs = Date.now() - testsStarted;

    const fromJson =
      exit.outcome === 'exited' ? await readOutcomes(join(outDir, 'results.json'), config.cwd) : undefined;
    result.tests = fromJson ?? outcomesFromProgress(events);
    let status: SuiteStatus;
    let error: string | undefined;
    if (exit.outcome === 'timed_out') {
      status = 'timed_out';
      error = `stopped after ${config.timeoutMs / 1000} s (--timeout)`;
    } else if (exit.outcome === 'aborted') {
      status = 'interrupted';
      error = 'the run was interrupted';
    } else if (!fromJson) {
      status = 'error';
      error = `vitest exited with code ${exit.code} and wrote no results:\n${await tail(join(outDir, 'vitest.log'), 15)}`;
    } else if (exit.code === 0 && !result.tests.some((t) => t.status === 'failed')) status = 'passed';
    else if (result.tests.some((t) => t.status === 'failed')) status = 'failed';
    else {
      status = 'error';
      error = `vitest exited with code ${exit.code}:\n${await tail(join(outDir, 'vitest.log'), 15)}`;
    }

    await collectArtefacts(stack, outDir, result, ctx, isFailure(status));
    keep = config.keep && isFailure(status) && !signal.aborted;
    if (keep) {
      ctx.keptStacks.push({ job, stack });
      const e = stack.endpoints;
      result.kept = { httpUrl: e.httpUrl, wsUrl: e.wsUrl, postgresUrl: e.postgresUrl, redisUrl: e.redisUrl };
    }
    return finish(status, error);
  } catch (error) {
    return finish(signal.aborted ? 'interrupted' : 'error', (error as Error).message);
  } finally {
    if (!keep) {
      const t = Date.now();
      await stack.stop();
      result.phases.teardownMs = Date.now() - t;
      ctx.liveStacks.delete(stack);
      result.durationMs = Date.now() - started;
    }
  }
}

/** A suite that restarted the service recorded its new URL next to its reports. */
async function currentHttpUrl(stack: RunningStack, outDir: string): Promise<string> {
  try {
    const moved = JSON.parse(await readFile(join(outDir, 'stack-after-restart.json'), 'utf8')) as {
      httpUrl?: string;
    };
    return moved.httpUrl ?? stack.endpoints.httpUrl;
  } catch {
    return stack.endpoints.httpUrl;
  }
}

async function collectArtefacts(
  stack: RunningStack,
  outDir: string,
  result: SuiteResult,
  ctx: SuiteRunContext,
  failed: boolean,
): Promise<void> {
  try {
    result.logFiles = await stack.saveLogs(join(outDir, 'logs'));
  } catch (error) {
    ctx.logger.warn({ suite: result.job.id, err: (error as Error).message }, 'could not save container logs');
  }
  if (failed) {
    try {
      // Lines cut at 400 characters: a log line can carry a huge URL; the saved log has it all.
      result.serviceLogTail = (await stack.serviceLogTail(SERVICE_LOG_TAIL_LINES))
        .split('\n')
        .map((line) => (line.length > 400 ? `${line.slice(0, 400)}…` : line))
        .join('\n');
      ctx.logger.error(
        { suite: result.job.id },
        `${result.job.id}: last ${SERVICE_LOG_TAIL_LINES} lines of the service log:\n${result.serviceLogTail}`,
      );
    } catch {
      // Logs are already saved when they can be read at all.
    }
  }
  if (ctx.config.coverage) {
    result.apiCoverage = await fetchApiCoverage(await currentHttpUrl(stack, outDir));
    if (result.apiCoverage)
      await writeFile(join(outDir, 'api-coverage.json'), `${JSON.stringify(result.apiCoverage, null, 2)}\n`);
    try {
      result.coverageDir = await stack.collectCoverage(join(outDir, 'coverage-raw'));
      if (result.coverageDir) {
        const report = await renderServiceCoverage({
          rawDirs: [result.coverageDir],
          outDir: join(outDir, 'coverage'),
          serviceRoot: join(ctx.config.cwd, 'containers/pynomaly'),
        });
        result.serviceCoverage = report?.summary;
      }
    } catch (error) {
      ctx.logger.warn({ suite: result.job.id, err: (error as Error).message }, 'could not collect coverage');
    }
  }
}
