import { basename } from 'node:path';
import { jobNameOf, type SuiteDefinition } from '../suites/catalog.ts';
import type { SuiteJob } from './types.ts';

/**
 * Each suite `repeat` times, and each of its parts beside it; every iteration of every part is a
 * separate job, on a fresh stack.
 */
export function expandJobs(suites: readonly SuiteDefinition[], repeat: number): SuiteJob[] {
  const jobs: SuiteJob[] = [];
  for (let iteration = 1; iteration <= repeat; iteration++)
    for (const suite of suites)
      for (const part of [undefined, ...suite.parts]) {
        const name = jobNameOf(suite, part);
        jobs.push({
          id: repeat > 1 ? `${name}#${iteration}` : name,
          suite,
          iteration,
          ...(part ? { part } : {}),
        });
      }
  return jobs;
}

/** The job without its iteration: `<suite>` or `<suite>:<part>` (recorded durations use it). */
export function jobName(job: SuiteJob): string {
  return jobNameOf(job.suite, job.part);
}

/** Folder of a job under the run's reports folder (a part's inside its suite's). */
export function jobDir(job: SuiteJob, repeat: number): string {
  const base = repeat > 1 ? `${job.suite.name}/iteration-${job.iteration}` : job.suite.name;
  return job.part ? `${base}/${job.part.name}` : base;
}

/**
 * What vitest runs for a job, relative to `suiteDir`: a part's files, or the suite's folder
 * without its parts' files.
 */
export function jobFiles(job: SuiteJob, suiteDir: string): { paths: string[]; exclude: string[] } {
  if (job.part) return { paths: job.part.files.map((f) => `${suiteDir}/${f}`), exclude: [] };
  const folder = basename(suiteDir);
  return {
    paths: [suiteDir],
    exclude: job.suite.parts.flatMap((p) => p.files.map((f) => `**/${folder}/${f}`)),
  };
}
