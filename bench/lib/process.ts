import { spawn } from 'node:child_process';

export interface TimedOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Past this the command's whole process group is killed (TERM, then KILL 5 s later). */
  timeoutMs?: number;
  /** Keep only the last this many characters of output (long runs print a lot). */
  keepChars?: number;
}

export interface Timed {
  code: number | null;
  ms: number;
  output: string;
  timedOut: boolean;
}

/** Runs a command to its end; its output, exit code and wall time. Never throws. */
export function timed(command: string, args: readonly string[], options: TimedOptions = {}): Promise<Timed> {
  const started = performance.now();
  const keep = options.keepChars ?? 200_000;
  return new Promise((resolve) => {
    // Its own process group, so a timeout ends what it started too (npx → tsx → vitest workers).
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let output = '';
    let timedOut = false;
    const add = (d: Buffer) => {
      output += d;
      if (output.length > 2 * keep) output = output.slice(-keep);
    };
    child.stdout.on('data', add);
    child.stderr.on('data', add);
    const kill = (signal: NodeJS.Signals) => {
      try {
        if (child.pid) process.kill(-child.pid, signal);
      } catch {
        // Already gone.
      }
    };
    let hard: NodeJS.Timeout | undefined;
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            kill('SIGTERM');
            hard = setTimeout(() => kill('SIGKILL'), 5_000);
          }, options.timeoutMs);
    const finish = (code: number | null, text = output) => {
      clearTimeout(timer);
      clearTimeout(hard);
      resolve({ code, ms: performance.now() - started, output: text.slice(-keep), timedOut });
    };
    child.on('error', (e) => finish(null, e.message));
    child.on('close', (code) => finish(code));
  });
}

/** Like `timed`, but a non-zero exit is an error naming the command and its last output. */
export async function must(
  command: string,
  args: readonly string[],
  options: TimedOptions = {},
): Promise<string> {
  const r = await timed(command, args, options);
  if (r.code !== 0)
    throw new Error(
      `${command} ${args.join(' ').slice(0, 200)} ${r.timedOut ? 'timed out' : `exited ${r.code}`}: ${r.output.slice(-400)}`,
    );
  return r.output;
}
