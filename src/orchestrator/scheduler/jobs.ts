import type { SuiteDefinition } from '../suites/catalog.ts';
import type { SuiteJob } from './types.ts';

/** Each suite `repeat` times; iterations of one suite are separate jobs, each on a fresh stack. */
export function expandJobs(suites: readonly SuiteDefinition[], repeat: number): SuiteJob[] {
  const jobs: SuiteJob[] = [];
  for (let iteration = 1; iteration <= repeat; iteration++)
    for (const suite of suites)
      jobs.push({ id: repeat > 1 ? `${suite.name}#${iteration}` : suite.name, suite, iteration });
  return jobs;
}

/** Folder of a job under the run's reports folder. */
export function jobDir(job: SuiteJob, repeat: number): string {
  return repeat > 1 ? `${job.suite.name}/iteration-${job.iteration}` : job.suite.name;
}
