/** The state of the machine and the tree a figure was measured on. */
import { loadavg } from 'node:os';
import { timed } from './process.ts';

export const loadAverage = (): number[] => loadavg().map((x) => Math.round(x * 100) / 100);

export async function gitState(cwd: string): Promise<{ head: string; dirtyFiles: number }> {
  const head = (await timed('git', ['rev-parse', 'HEAD'], { cwd })).output.trim();
  const status = (await timed('git', ['status', '--porcelain'], { cwd })).output;
  return { head, dirtyFiles: status.split('\n').filter(Boolean).length };
}
