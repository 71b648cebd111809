/**
 * A small in-process queue: jobs of one lane run one at a time, in order. The job's state
 * lives in PostgreSQL (the job writes it), so a client may disconnect at any time; on
 * shutdown `drain` waits (bounded) for the running jobs.
 */
export class BackgroundJobs {
  private readonly lanes = new Map<string, Promise<void>>();
  private closed = false;

  constructor(private readonly onError: (error: unknown, name: string) => void) {}

  enqueue(lane: string, name: string, job: () => Promise<void>): void {
    if (this.closed) return;
    const previous = this.lanes.get(lane) ?? Promise.resolve();
    const next = previous.then(async () => {
      if (this.closed) return;
      try {
        await job();
      } catch (error) {
        this.onError(error, name);
      }
    });
    this.lanes.set(lane, next);
  }

  async drain(timeoutMs: number): Promise<void> {
    this.closed = true;
    await Promise.race([
      Promise.allSettled([...this.lanes.values()]),
      new Promise((resolve) => setTimeout(resolve, timeoutMs).unref()),
    ]);
  }

  get isClosed(): boolean {
    return this.closed;
  }
}

/** Lets the event loop serve requests between CPU-heavy steps of a job. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
