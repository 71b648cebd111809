/**
 * Where the CPU-heavy tasks run. In the built service (dist/*.js) they go to a piscina pool of
 * worker threads; a test or `tsx` run of the TypeScript sources has no compiled worker file, so
 * the same functions run inline there. The pool bounds how many run at once (the rest queue),
 * and is closed with the app.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import {
  runTask,
  type TaskInput,
  type TaskName,
  type TaskOutput,
  type TaskResult,
  unwrapResult,
} from './tasks.ts';

export interface ComputePool {
  run<K extends TaskName>(task: K, input: TaskInput<K>): Promise<TaskOutput<K>>;
  close(): Promise<void>;
}

type Runner = <K extends TaskName>(task: K, input: TaskInput<K>) => Promise<TaskResult<TaskOutput<K>>>;

function pool(runner: Runner, close: () => Promise<void>): ComputePool {
  return { run: async (task, input) => unwrapResult(await runner(task, input)), close };
}

/** Same thread; a macrotask first, as a worker would give, so queued requests are served first. */
export function inlinePool(): ComputePool {
  return pool(
    async (task, input) => {
      await new Promise((resolve) => setImmediate(resolve));
      return runTask(task, input);
    },
    async () => undefined,
  );
}

const WORKER_FILE = fileURLToPath(new URL('./worker.js', import.meta.url));

/** Threads: one fewer than the cores (at least one), so the event loop keeps a core of its own. */
export function createComputePool(options: { maxThreads?: number } = {}): ComputePool {
  if (!existsSync(WORKER_FILE)) return inlinePool();
  const piscina = new Piscina({
    filename: WORKER_FILE,
    minThreads: 1,
    maxThreads: options.maxThreads ?? Math.max(1, availableParallelism() - 1),
    idleTimeout: 30_000,
  });
  return pool(
    (task, input) => piscina.run({ task, input }),
    () => piscina.close(),
  );
}
