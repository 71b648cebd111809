import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunConfig } from '../config/types.ts';
import { describeError } from '../logging/logger.ts';
import { Progress } from '../progress/reporter.ts';
import { reportToGithub } from '../reports/github-output.ts';
import type { RunRecord } from '../reports/model.ts';
import { buildRecord, type RunFacts } from '../reports/record.ts';
import { renderServiceCoverage } from '../reports/service-coverage.ts';
import { writeReports } from '../reports/write.ts';
import { runSuiteJob, type SuiteRunContext, stackRequestOf } from '../runner/run-suite.ts';
import { BackgroundTeardowns } from '../runner/teardowns.ts';
import { expandJobs, jobDir, jobName } from '../scheduler/jobs.ts';
import { dispatchOrder, schedule } from '../scheduler/schedule.ts';
import type { SuiteJob, SuiteResult } from '../scheduler/types.ts';
import type { CommandDeps } from '../session/deps.ts';
import { Session } from '../session/session.ts';
import { WarmStacks } from '../session/warm-stacks.ts';
import { recordedSeconds } from '../suites/shard.ts';
import { keptStackInstructions } from './kept.ts';
import { commandOutput } from './output.ts';
import { unlessAborted, untilAborted, watchInterrupts } from './signals.ts';

export { exitCodeFor } from '../reports/record.ts';

/** Line and branch coverage of the service over every suite (--coverage), or undefined. */
async function serviceCoverageOf(record: RunRecord, config: RunConfig, warn: (msg: string) => void) {
  const rawDirs = record.results.flatMap((r) => (r.coverageDir ? [r.coverageDir] : []));
  if (rawDirs.length === 0 || record.interrupted) return undefined;
  try {
    const report = await renderServiceCoverage({
      rawDirs,
      outDir: join(config.reportsDir, 'coverage'),
      serviceRoot: join(config.cwd, 'containers/pynomaly'),
    });
    return report?.summary;
  } catch (error) {
    warn(`could not render the service coverage report: ${(error as Error).message}`);
    return undefined;
  }
}

/** `run`: engine, images, then every selected suite on its own stack; reports; exit code. */
export async function runCommand(config: RunConfig, deps: CommandDeps): Promise<number> {
  await mkdir(config.reportsDir, { recursive: true });
  const jobs = expandJobs(config.suites, config.repeat);
  const out = commandOutput(config, { logFile: join(config.reportsDir, 'run.log'), live: true });
  const { logger } = out;
  const core = await deps.core();
  await using session = new Session(config, core, logger);
  const interrupts = watchInterrupts((signal) => {
    logger.warn({ signal }, `${signal}: stopping suites and removing every stack of run ${config.runId}`);
    void session.stopStacks();
  });
  const facts: RunFacts = {
    config,
    command: deps.argv.join(' '),
    startedAt: Date.now(),
    endedAt: 0,
    interrupted: false,
    timings: {},
    jobs,
    results: new Map<SuiteJob, SuiteResult>(),
  };
  logger.info(
    { runId: config.runId, seed: config.seed, suites: jobs.map((j) => j.id), parallel: config.parallel },
    `run ${config.runId}: ${jobs.length} suite run(s), parallel ${config.parallel}, seed ${config.seed}${config.seedGiven ? '' : ' (drawn for this run)'}; reports in ${config.reportsDir}`,
  );
  try {
    await runSuites(session, facts, interrupts.signal, deps, out);
  } catch (error) {
    if (!interrupts.signal.aborted) {
      facts.setupError = describeError(error, config.logLevel);
      logger.error(core.isSetupError(error) ? facts.setupError : `unexpected error: ${facts.setupError}`);
    }
  } finally {
    out.liveView?.stop();
    interrupts.dispose();
  }

  const built = buildRecord({ ...facts, interrupted: interrupts.signal.aborted, endedAt: Date.now() });
  const record: RunRecord = {
    ...built,
    serviceCoverage: await serviceCoverageOf(built, config, (msg) => logger.warn(msg)),
  };
  const written = await writeReports(record, config.reportsRoot);
  out.print(`\n${written.summary}`);
  if (config.github) await reportToGithub(record, config.github, out.print);

  const kept = record.results.filter((r) => r.kept);
  if (kept.length > 0 && !interrupts.signal.aborted) {
    out.print(keptStackInstructions(kept));
    // Until Ctrl-C: then the session stops the kept stacks with everything else.
    const held = watchInterrupts(() => undefined);
    await untilAborted(held.signal);
    held.dispose();
  }
  logger.flush?.();
  return record.exitCode ?? 0;
}

/** The part of a run that talks to the engine; fills `facts` as it learns them. */
async function runSuites(
  session: Session,
  facts: RunFacts,
  signal: AbortSignal,
  deps: CommandDeps,
  out: ReturnType<typeof commandOutput>,
): Promise<void> {
  const { config } = facts;
  const { logger } = out;
  const engineStart = Date.now();
  facts.engine = { ...(await unlessAborted(session.connect(), signal)) };
  facts.timings.engineMs = Date.now() - engineStart;
  const imagesStart = Date.now();
  logger.info('resolving images (building what is missing)');
  const resolved = await unlessAborted(session.resolveImages(), signal);
  facts.images = resolved.images;
  facts.imageIds = resolved.ids;
  facts.timings.imagesMs = Date.now() - imagesStart;
  facts.timings.images = resolved.timings;
  if (signal.aborted) return;

  const progress = new Progress(
    facts.jobs.map((j) => j.id),
    logger,
    Date.now,
    out.liveView ? 'debug' : 'info',
  );
  out.liveView?.attach(progress);
  const expectedSeconds = (job: SuiteJob) => recordedSeconds(jobName(job));
  const order = dispatchOrder(facts.jobs, expectedSeconds);
  const stacks = new WarmStacks([...order.shared, ...order.exclusive], config.warmStacks, async (job) => {
    const request = stackRequestOf(job, config);
    await mkdir(request.reportsDir, { recursive: true });
    return session.startStack(request);
  });
  const teardowns = new BackgroundTeardowns(logger);
  const ctx: SuiteRunContext = {
    config,
    session,
    stacks,
    teardowns,
    logger,
    progress,
    suitesRoot: deps.suitesRoot,
  };
  const results = facts.results as Map<SuiteJob, SuiteResult>;
  const suitesStart = Date.now();
  await schedule(facts.jobs, {
    parallel: config.parallel,
    failFast: config.failFast,
    signal,
    runJob: (job, jobSignal, slot) => runSuiteJob(job, jobSignal, slot, ctx),
    expectedSeconds,
    notRun: (job, reason) => ({
      job,
      status: 'not_run',
      durationMs: 0,
      phases: {},
      tests: [],
      dir: jobDir(job, config.repeat),
      logFiles: [],
      error: reason || undefined,
    }),
    onResult: (result) => {
      results.set(result.job, result);
      if (result.status === 'not_run') progress.status(result.job.id, 'not_run', result.error);
    },
  });
  facts.timings.suitesMs = Date.now() - suitesStart;
  // The last stacks go while the others' results are in; the report gives each its teardown.
  await teardowns.settled();
  for (const [job, result] of results) {
    const teardownMs = teardowns.durationOf(job);
    if (teardownMs !== undefined)
      results.set(
        job,
        Object.freeze({ ...result, phases: { ...result.phases, teardownMs, teardownInBackground: true } }),
      );
  }
}
