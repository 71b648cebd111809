import type { SuiteJob } from '../scheduler/types.ts';
import type { RunningStack } from '../stack/types.ts';

/**
 * Stacks started ahead of the jobs that will use them, so that a stack's start leaves the
 * critical path: while a suite runs its tests, the stack of the next job in dispatch order is
 * already starting. Every stack is still used by one job only and removed after it; a stack
 * nobody took (a run stopped early) is stopped with the session that started it.
 */
export class WarmStacks {
  readonly #starting = new Map<SuiteJob, Promise<RunningStack>>();
  readonly #taken = new Set<SuiteJob>();

  /**
   * @param order the jobs in the order the scheduler dispatches them (`dispatchOrder`)
   * @param ahead how many stacks may wait started ahead of their job; 0 = none (every job
   *   starts its own when dispatched, as without a pool)
   * @param start starts the stack of one job (the session's `startStack` with the job's request)
   */
  constructor(
    private readonly order: readonly SuiteJob[],
    private readonly ahead: number,
    private readonly start: (job: SuiteJob) => Promise<RunningStack>,
  ) {}

  /** The job's stack: the one started ahead for it, or a fresh start now. */
  take(job: SuiteJob): { stack: Promise<RunningStack>; warm: boolean } {
    this.#taken.add(job);
    const early = this.#starting.get(job);
    this.#starting.delete(job);
    return early ? { stack: early, warm: true } : { stack: this.start(job), warm: false };
  }

  /**
   * Start stacks for the next jobs not yet taken, up to `ahead` waiting at once. Called by a job
   * once its own stack is ready (so a stack start never competes with the one a job waits on), and
   * never from an exclusive job, whose measurements must have the machine to themselves.
   */
  prepareNext(): void {
    for (const job of this.order) {
      if (this.#starting.size >= this.ahead) return;
      if (this.#taken.has(job) || this.#starting.has(job)) continue;
      const stack = this.start(job);
      // Its failure belongs to the job that takes it (a set-up error there), not to this call.
      stack.catch(() => undefined);
      this.#starting.set(job, stack);
    }
  }

  /** Jobs whose stack is starting or waiting, in dispatch order (for logs and tests). */
  get waiting(): SuiteJob[] {
    return this.order.filter((job) => this.#starting.has(job));
  }
}
