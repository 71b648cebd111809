/**
 * autocannon (the npm package, pinned in devDependencies) as a child process: bounded by its own
 * duration and connection count, and by a kill past duration + 30 s. Its `--json` result is
 * reduced to what the table shows.
 */
import { join } from 'node:path';
import { timed } from './process.ts';
import type { LoadSide } from './results.ts';
import { round } from './stats.ts';

export interface Shot {
  url: string;
  connections: number;
  seconds: number;
  /** JSON body file (POST, content-type application/json). */
  jsonFile?: string;
  /** autocannon's --form description (multipart POST). */
  form?: Record<string, unknown>;
}

/** The fields of autocannon's JSON result we read. */
export interface AutocannonResult {
  '2xx': number;
  non2xx: number;
  errors: number;
  timeouts: number;
  duration: number;
  latency: { p50: number; p99: number };
}

/** One side's runs as one figure: successes per second over all runs, latency the runs' mean. */
export function combine(runs: readonly AutocannonResult[]): LoadSide {
  if (runs.length === 0) throw new Error('no runs to combine');
  const sum = (pick: (r: AutocannonResult) => number) => runs.reduce((a, r) => a + pick(r), 0);
  const mean = (pick: (r: AutocannonResult) => number) => sum(pick) / runs.length;
  return {
    requestsPerSecond: round(
      sum((r) => r['2xx']) /
        Math.max(
          1e-9,
          sum((r) => r.duration),
        ),
      1,
    ),
    requests: sum((r) => r['2xx'] + r.non2xx),
    non2xx: sum((r) => r.non2xx),
    errors: sum((r) => r.errors + r.timeouts),
    latencyMs: {
      p50: round(
        mean((r) => r.latency.p50),
        1,
      ),
      p99: round(
        mean((r) => r.latency.p99),
        1,
      ),
    },
  };
}

/** The last line of output that parses as autocannon's result. */
export function parseResult(output: string): AutocannonResult {
  for (const line of output.trim().split('\n').reverse()) {
    try {
      const r = JSON.parse(line);
      if (r && typeof r === 'object' && 'latency' in r && 'duration' in r) return r as AutocannonResult;
    } catch {
      // Not JSON: progress or a warning.
    }
  }
  throw new Error(`autocannon printed no result: ${output.slice(-400)}`);
}

export async function fire(shot: Shot, cwd: string): Promise<AutocannonResult> {
  const host = new URL(shot.url).hostname;
  // Loopback only: the containers' ports are published on 127.0.0.1.
  if (host !== '127.0.0.1' && host !== 'localhost' && host !== '[::1]')
    throw new Error(`load only against loopback, not ${host}`);
  const args = ['-j', '-n', '-c', String(shot.connections), '-d', String(shot.seconds), '-t', '10'];
  if (shot.jsonFile) args.push('-m', 'POST', '-H', 'content-type=application/json', '-i', shot.jsonFile);
  if (shot.form) args.push('-m', 'POST', '-F', JSON.stringify(shot.form));
  const r = await timed(join(cwd, 'node_modules/.bin/autocannon'), [...args, shot.url], {
    cwd,
    timeoutMs: (shot.seconds + 30) * 1000,
  });
  if (r.code !== 0)
    throw new Error(`autocannon ${r.timedOut ? 'timed out' : `exited ${r.code}`}: ${r.output.slice(-400)}`);
  return parseResult(r.output);
}
