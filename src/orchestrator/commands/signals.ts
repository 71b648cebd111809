import { EXIT } from '../config/errors.ts';

const DUPLICATE_WINDOW_MS = 1000;

export interface InterruptWatch {
  readonly signal: AbortSignal;
  /** The first signal's name, once one arrived. */
  received(): NodeJS.Signals | undefined;
  dispose(): void;
}

/**
 * First SIGINT/SIGTERM: abort (stop launching, stop suites and stacks, write partial reports).
 * A second one: exit 130 at once (the reaper removes what is left).
 */
export function watchInterrupts(onFirst: (signal: NodeJS.Signals) => void): InterruptWatch {
  const controller = new AbortController();
  let first: NodeJS.Signals | undefined;
  let firstAt = 0;
  const handler = (signal: NodeJS.Signals) => {
    // npm and tsx relay a Ctrl-C the terminal already delivered: a repeat within 1 s is that echo.
    if (first && Date.now() - firstAt < DUPLICATE_WINDOW_MS) return;
    if (first) {
      process.stderr.write(`\n${signal} again: exiting now; the reaper removes what is left of the run.\n`);
      process.exit(EXIT.interrupted);
    }
    first = signal;
    firstAt = Date.now();
    controller.abort();
    onFirst(signal);
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  process.on('SIGHUP', handler);
  return {
    signal: controller.signal,
    received: () => first,
    dispose: () => {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
      process.off('SIGHUP', handler);
    },
  };
}

/** Resolves when the signal aborts; keeps the process alive meanwhile (engine sockets are unref'd). */
export function untilAborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const keepAlive = setInterval(() => {}, 60_000);
    signal.addEventListener(
      'abort',
      () => {
        clearInterval(keepAlive);
        resolve();
      },
      { once: true },
    );
  });
}

export class InterruptedError extends Error {
  override readonly name = 'InterruptedError';
}

/** The promise's value, or InterruptedError as soon as the signal aborts (the work is abandoned). */
export function unlessAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new InterruptedError('interrupted'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new InterruptedError('interrupted'));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
