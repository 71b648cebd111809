import type { SuiteJob, SuiteResult } from './types.ts';
import { isFailure } from './types.ts';

export interface ScheduleOptions {
  /** Most jobs at once (non-exclusive ones). */
  parallel: number;
  /** After a failed job, start no new ones. */
  failFast: boolean;
  /**
   * Runs one job to its end; must settle promptly once `signal` aborts. `slot` (0-based) is the
   * lane it runs in, fewer than `parallel` of them (the report's timeline draws one per lane).
   */
  runJob: (job: SuiteJob, signal: AbortSignal, slot: number) => Promise<SuiteResult>;
  /** Aborted by Ctrl-C / SIGTERM: start nothing more, tell running jobs to stop. */
  signal: AbortSignal;
  /** A result for a job that never started. */
  notRun: (job: SuiteJob, reason: string) => SuiteResult;
  onResult?: (result: SuiteResult) => void;
  /** Expected seconds of a job: the longest start first, so the run does not end on one long suite. */
  expectedSeconds?: (job: SuiteJob) => number;
}

/**
 * Runs jobs with at most `parallel` at once, longest expected first (a stable sort: equal ones
 * keep their order). Exclusive jobs (performance) run alone: after every other job has finished,
 * one at a time. Results come back in job order.
 */
export async function schedule(jobs: readonly SuiteJob[], options: ScheduleOptions): Promise<SuiteResult[]> {
  const results = new Map<SuiteJob, SuiteResult>();
  let stopReason: string | undefined;
  const stopped = () => {
    if (options.signal.aborted) return 'the run was interrupted';
    return stopReason;
  };

  const runOne = async (job: SuiteJob, slot: number) => {
    const reason = stopped();
    if (reason) {
      const skipped = options.notRun(job, reason);
      results.set(job, skipped);
      options.onResult?.(skipped);
      return;
    }
    let result: SuiteResult;
    try {
      result = await options.runJob(job, options.signal, slot);
    } catch (error) {
      result = { ...options.notRun(job, ''), status: 'error', error: (error as Error).message };
    }
    results.set(job, result);
    if (options.failFast && isFailure(result.status))
      stopReason ??= `--fail-fast: ${job.id} ${result.status.replace('_', ' ')}`;
    options.onResult?.(result);
  };

  const { shared, exclusive } = dispatchOrder(jobs, options.expectedSeconds);
  await runPool(shared, Math.max(1, options.parallel), runOne);
  await runPool(exclusive, 1, runOne);
  return jobs.map((j) => results.get(j)!);
}

/**
 * The order `schedule` starts jobs in: shared ones longest expected first (a stable sort), then
 * the exclusive ones. Pure, so that the warm-stack pool knows which stack is needed next.
 */
export function dispatchOrder(
  jobs: readonly SuiteJob[],
  expected?: (job: SuiteJob) => number,
): { shared: SuiteJob[]; exclusive: SuiteJob[] } {
  const shared = jobs
    .filter((j) => !j.suite.exclusive)
    .sort((a, b) => (expected ? expected(b) - expected(a) : 0));
  return { shared, exclusive: jobs.filter((j) => j.suite.exclusive) };
}

async function runPool<T>(
  items: readonly T[],
  limit: number,
  work: (item: T, slot: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (slot: number) => {
    while (next < items.length) {
      const item = items[next++];
      await work(item, slot);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, (_, slot) => worker(slot)));
}
