import type { Logger } from '../logging/logger.ts';
import type { SuiteJob } from '../scheduler/types.ts';

/**
 * Stacks being removed while their lane goes on: a job hands its stack's stop here and returns,
 * so the lane's next job starts a second or so sooner. Each stop's time is kept for the job's
 * report; `settled` waits for all of them (before an exclusive job tests, and before the run's
 * reports are written). A stop that fails is logged: the session's sweep of the run's labels
 * removes what it left.
 */
export class BackgroundTeardowns {
  readonly #pending = new Set<Promise<void>>();
  readonly #durations = new Map<SuiteJob, number>();

  constructor(private readonly logger: Logger) {}

  add(job: SuiteJob, stop: () => Promise<void>): void {
    const started = Date.now();
    const done = stop()
      .catch((error: Error) =>
        this.logger.warn(
          `${job.id}: removing its stack failed (${error.message}); the run's sweep removes it`,
        ),
      )
      .finally(() => {
        this.#durations.set(job, Date.now() - started);
        this.#pending.delete(done);
      });
    this.#pending.add(done);
  }

  /** Every stop handed in so far has ended. */
  async settled(): Promise<void> {
    while (this.#pending.size > 0) await Promise.all([...this.#pending]);
  }

  /** How long the job's stack took to go, once it has. */
  durationOf(job: SuiteJob): number | undefined {
    return this.#durations.get(job);
  }
}
