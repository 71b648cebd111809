import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { EXIT } from '../config/errors.ts';
import type { RunConfig } from '../config/types.ts';
import { describeError } from '../logging/logger.ts';
import { Progress } from '../progress/reporter.ts';
import { mergeApiCoverage } from '../reports/api-coverage.ts';
import type { RunRecord } from '../reports/model.ts';
import { buildRepro } from '../reports/repro.ts';
import { renderServiceCoverage } from '../reports/service-coverage.ts';
import { writeReports } from '../reports/write.ts';
import { core, type Reaper } from '../runner/core-glue.ts';
import { runSuiteJob, type SuiteRunContext } from '../runner/run-suite.ts';
import { expandJobs, jobDir } from '../scheduler/jobs.ts';
import { schedule } from '../scheduler/schedule.ts';
import { isFailure, type SuiteJob, type SuiteResult } from '../scheduler/types.ts';
import { keptStackInstructions } from './kept.ts';
import { commandOutput } from './output.ts';
import { unlessAborted, untilAborted, watchInterrupts } from './signals.ts';

/** The serialisable part of the config for run.json. */
function configForRecord(config: RunConfig): Record<string, unknown> {
  return { ...config, suites: config.suites.map((s) => s.name) };
}

export function exitCodeFor(results: readonly SuiteResult[], interrupted: boolean): number {
  if (interrupted) return EXIT.interrupted;
  return results.some((r) => isFailure(r.status)) ? EXIT.testsFailed : EXIT.passed;
}

/** `run`: engine, images, then every selected suite on its own stack; reports; exit code. */
export async function runCommand(config: RunConfig): Promise<number> {
  await mkdir(config.reportsDir, { recursive: true });
  const jobs = expandJobs(config.suites, config.repeat);
  const out = commandOutput(config, { logFile: join(config.reportsDir, 'run.log'), live: true });
  const { logger } = out;
  const startedAt = Date.now();
  const record: RunRecord = {
    runId: config.runId,
    command: process.argv.slice(2).join(' '),
    startedAt: new Date(startedAt).toISOString(),
    interrupted: false,
    config: configForRecord(config),
    timings: {},
    results: [],
    reportsDir: config.reportsDir,
  };
  const results = new Map<SuiteJob, SuiteResult>();
  const liveStacks = new Set<import('../stack/types.ts').RunningStack>();
  let reaper: Reaper | undefined;

  const interrupts = watchInterrupts((signal) => {
    record.interrupted = true;
    logger.warn({ signal }, `${signal}: stopping suites and removing every stack of run ${config.runId}`);
    // Stop every stack now, in parallel; the jobs' own teardown finds them already gone.
    void Promise.all([...liveStacks].map((s) => s.stop()));
  });

  logger.info(
    { runId: config.runId, seed: config.seed, suites: jobs.map((j) => j.id), parallel: config.parallel },
    `run ${config.runId}: ${jobs.length} suite run(s), parallel ${config.parallel}, seed ${config.seed}${config.seedGiven ? '' : ' (drawn for this run)'}; reports in ${config.reportsDir}`,
  );

  const finalize = async (exitCode: number): Promise<number> => {
    out.liveView?.stop();
    record.results = jobs.map(
      (j) =>
        results.get(j) ?? {
          job: j,
          status: record.interrupted ? 'interrupted' : 'not_run',
          durationMs: 0,
          phases: {},
          tests: [],
          dir: jobDir(j, config.repeat),
          logFiles: [],
        },
    );
    record.endedAt = new Date().toISOString();
    record.durationMs = Date.now() - startedAt;
    record.exitCode = exitCode;
    record.repro = buildRepro({ config, images: record.imageIds, results: record.results });
    const rawDirs = record.results.flatMap((r) => (r.coverageDir ? [r.coverageDir] : []));
    if (rawDirs.length > 0 && !record.interrupted)
      record.serviceCoverage = await renderServiceCoverage({
        rawDirs,
        outDir: join(config.reportsDir, 'coverage'),
        serviceRoot: join(config.cwd, 'containers/pynomaly'),
      })
        .then((r) => r?.summary)
        .catch((error: Error) => {
          logger.warn({ err: error.message }, 'could not render the service coverage report');
          return undefined;
        });
    record.apiCoverage = mergeApiCoverage(
      record.results.flatMap((r) => (r.apiCoverage ? [r.apiCoverage] : [])),
    );
    const written = await writeReports(record, config.reportsRoot);
    out.print(`\n${written.summary}`);
    return exitCode;
  };

  try {
    const glue = await core();
    const engineStart = Date.now();
    record.engine = { ...(await unlessAborted(glue.checkEngine(), interrupts.signal)) };
    record.timings.engineMs = Date.now() - engineStart;
    // The reaper's image is resolved (built on a cold machine) first: say so before the wait.
    const imagesStart = Date.now();
    logger.info('resolving images (building what is missing)');
    reaper = await glue.startReaper(config.runId, { logger });
    const resolved = await unlessAborted(glue.resolveImages({ ...config.images, logger }), interrupts.signal);
    record.images = resolved.images;
    const [pynomalyId, postgresId, redisId] = await Promise.all(
      [resolved.images.pynomaly, resolved.images.postgres, resolved.images.redis].map((ref) =>
        glue.imageId(ref),
      ),
    );
    record.imageIds = { pynomaly: pynomalyId, postgres: postgresId, redis: redisId };
    record.timings.imagesMs = Date.now() - imagesStart;
    record.timings.images = resolved.timings;
    if (interrupts.signal.aborted) return await finalize(EXIT.interrupted);

    const progress = new Progress(
      jobs.map((j) => j.id),
      logger,
      Date.now,
      out.liveView ? 'debug' : 'info',
    );
    out.liveView?.attach(progress);
    const ctx: SuiteRunContext = {
      config,
      images: resolved.images,
      logger,
      progress,
      liveStacks,
      keptStacks: [],
    };
    const suitesStart = Date.now();
    await schedule(jobs, {
      parallel: config.parallel,
      failFast: config.failFast,
      signal: interrupts.signal,
      runJob: (job, signal) => runSuiteJob(job, signal, ctx),
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
    record.timings.suitesMs = Date.now() - suitesStart;

    const exitCode = exitCodeFor([...results.values()], record.interrupted);
    if (ctx.keptStacks.length > 0 && !interrupts.signal.aborted) {
      const code = await finalize(exitCode);
      out.print(keptStackInstructions(ctx.keptStacks));
      await untilAborted(interrupts.signal);
      await Promise.all(ctx.keptStacks.map((k) => k.stack.stop()));
      return code;
    }
    return await finalize(exitCode);
  } catch (error) {
    const glue = await core().catch(() => undefined);
    const setup = glue?.isSetupError(error) ?? false;
    if (record.interrupted) return await finalize(EXIT.interrupted);
    record.setupError = describeError(error, config.logLevel);
    logger.error(setup ? record.setupError : `unexpected error: ${record.setupError}`);
    return await finalize(EXIT.setupOrUsage);
  } finally {
    await Promise.all([...liveStacks].map((s) => s.stop()));
    // Final sweep: anything labelled with this run (a stack still starting when Ctrl-C came).
    const glue = await core().catch(() => undefined);
    await glue?.removeRun(config.runId).catch(() => undefined);
    await reaper?.close();
    interrupts.dispose();
    logger.flush?.();
  }
}
