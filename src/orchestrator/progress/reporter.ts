import type { Logger } from '../logging/logger.ts';
import type { ProgressEvent } from '../runner/progress-events.ts';
import type { SuiteStatus } from '../scheduler/types.ts';
import { type JobView, newJobView, statusText } from './model.ts';

/** Receives what happens to jobs; the terminal view redraws, CI mode logs one line per event. */
export class Progress {
  readonly views = new Map<string, JobView>();
  private listeners: (() => void)[] = [];

  constructor(
    jobIds: readonly string[],
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
    /** 'debug' when a live table already shows every state change. */
    private readonly eventLevel: 'info' | 'debug' = 'info',
  ) {
    for (const id of jobIds) this.views.set(id, newJobView(id));
  }

  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  status(id: string, status: SuiteStatus, note?: string): void {
    const view = this.views.get(id);
    if (!view) return;
    view.status = status;
    if (note !== undefined) view.note = note;
    if (status === 'starting') view.startedAt ??= this.now();
    if (!['queued', 'starting', 'running'].includes(status)) view.endedAt = this.now();
    this.logger[this.eventLevel](
      { suite: id, status, ...(note ? { note } : {}) },
      `${id}: ${statusText(view)}`,
    );
    this.changed();
  }

  test(id: string, event: ProgressEvent): void {
    const view = this.views.get(id);
    if (!view) return;
    if (event.type === 'run-start') view.files = event.files;
    if (event.type === 'collected') view.testsTotal += event.tests;
    if (event.type === 'test' && event.state !== 'pending') {
      view.testsDone += 1;
      if (event.state === 'failed') {
        view.testsFailed += 1;
        this.logger.warn({ suite: id, file: event.file, test: event.name }, `${id}: FAILED ${event.name}`);
      } else this.logger.debug({ suite: id, test: event.name, state: event.state }, `${id}: ${event.state}`);
    }
    this.changed();
  }

  private changed(): void {
    for (const l of this.listeners) l();
  }
}
