import { spawn } from 'node:child_process';

/** Runs a command to its end; its output, exit code and wall time. Never throws. */
export function timed(
  command: string,
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<{ code: number | null; ms: number; output: string }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', (e) => resolve({ code: null, ms: performance.now() - started, output: e.message }));
    child.on('exit', (code) => resolve({ code, ms: performance.now() - started, output }));
  });
}

/** Like `timed`, but a non-zero exit is an error naming the command and its last output. */
export async function must(
  command: string,
  args: readonly string[],
  options: { cwd?: string } = {},
): Promise<string> {
  const r = await timed(command, args, options);
  if (r.code !== 0) throw new Error(`${command} ${args.join(' ')} exited ${r.code}: ${r.output.slice(-400)}`);
  return r.output;
}
