import { EXIT } from '../config/errors.ts';
import type { RunConfig } from '../config/types.ts';
import { jobDir } from '../scheduler/jobs.ts';
import { isFailure, type SuiteJob, type SuiteResult } from '../scheduler/types.ts';
import { mergeApiCoverage } from './api-coverage.ts';
import type { RunRecord } from './model.ts';
import { buildRepro } from './repro.ts';

type Images = NonNullable<RunRecord['images']>;

/** What a finished (or stopped) run knows; `buildRecord` turns it into what the reports say. */
export interface RunFacts {
  config: RunConfig;
  /** The command line as typed (after the program name). */
  command: string;
  startedAt: number;
  endedAt: number;
  interrupted: boolean;
  /** A set-up error that stopped the run (engine, images), already worded for the user. */
  setupError?: string;
  engine?: Record<string, unknown>;
  images?: Images;
  imageIds?: Images;
  timings: RunRecord['timings'];
  jobs: readonly SuiteJob[];
  /** The result of each job that got one; the others were not run. */
  results: ReadonlyMap<SuiteJob, SuiteResult>;
}

export function exitCodeFor(results: readonly SuiteResult[], interrupted: boolean): number {
  if (interrupted) return EXIT.interrupted;
  return results.some((r) => isFailure(r.status)) ? EXIT.testsFailed : EXIT.passed;
}

/** The serialisable part of the config for run.json. */
function configForRecord(config: RunConfig): Record<string, unknown> {
  return { ...config, suites: config.suites.map((s) => s.name) };
}

function notRun(job: SuiteJob, config: RunConfig, interrupted: boolean): SuiteResult {
  return {
    job,
    status: interrupted ? 'interrupted' : 'not_run',
    durationMs: 0,
    phases: {},
    tests: [],
    dir: jobDir(job, config.repeat),
    logFiles: [],
  };
}

/** The run's record (run.json), built once from its facts: results in job order, exit code, repro lines. */
export function buildRecord(facts: RunFacts): RunRecord {
  const { config } = facts;
  const results = facts.jobs.map((j) => facts.results.get(j) ?? notRun(j, config, facts.interrupted));
  const exitCode = facts.interrupted
    ? EXIT.interrupted
    : facts.setupError !== undefined
      ? EXIT.setupOrUsage
      : exitCodeFor(results, false);
  return {
    runId: config.runId,
    command: facts.command,
    startedAt: new Date(facts.startedAt).toISOString(),
    endedAt: new Date(facts.endedAt).toISOString(),
    durationMs: facts.endedAt - facts.startedAt,
    exitCode,
    interrupted: facts.interrupted,
    ...(facts.setupError !== undefined ? { setupError: facts.setupError } : {}),
    config: configForRecord(config),
    ...(facts.engine ? { engine: facts.engine } : {}),
    ...(facts.images ? { images: facts.images } : {}),
    ...(facts.imageIds ? { imageIds: facts.imageIds } : {}),
    timings: facts.timings,
    results,
    repro: buildRepro({ config, images: facts.imageIds, results }),
    reportsDir: config.reportsDir,
    apiCoverage: mergeApiCoverage(results.flatMap((r) => (r.apiCoverage ? [r.apiCoverage] : []))),
  };
}
