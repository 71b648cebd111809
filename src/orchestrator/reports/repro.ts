import { DEFAULT_WARM_STACKS } from '../config/defaults.ts';
import type { RunConfig } from '../config/types.ts';
import { isFailure, type SuiteStatus } from '../scheduler/types.ts';
import { shellQuote } from './escape.ts';
import { concurrentSuites, type TimedResult } from './overlap.ts';

export type ReproConfig = Pick<
  RunConfig,
  | 'markers'
  | 'auth'
  | 'coverage'
  | 'timeoutMs'
  | 'maxFailures'
  | 'failFast'
  | 'seed'
  | 'logLevel'
  | 'suites'
  | 'parallel'
  | 'cpus'
  | 'repeat'
> &
  // Optional: records written before the flag existed ran without warm stacks' load.
  Partial<Pick<RunConfig, 'warmStacks'>>;

export interface ImageIds {
  pynomaly: string;
  postgres: string;
  redis: string;
}

export interface ReproInput {
  config: ReproConfig;
  /** Image IDs actually used (so a rebuilt tag cannot change what runs). */
  images?: ImageIds;
  /** Only these suites; default every suite of the run. */
  suites?: readonly string[];
  /** Add --repeat (the whole run's line only). */
  repeat?: boolean;
}

/** Per failed suite: the line for it alone, and the line under the load it failed in. */
export interface FailedRepro {
  alone: string;
  /** The failed suite with the suites that ran at the same time; absent when none did. */
  underLoad?: string;
  concurrent: string[];
}

export interface Repro {
  run: string;
  failed: Record<string, FailedRepro>;
}

/**
 * `npx pynomaly-it run ...` with every flag that shaped what ran: suites, markers, the seed (data,
 * service and test order), --parallel (always written: its default depends on the machine's
 * cores) when more than one suite runs, --cpus, image IDs, and flags that differ from defaults.
 */
export function reproCommand({ config, images, suites, repeat }: ReproInput): string {
  const names = suites ?? config.suites.map((x) => x.name);
  const words = ['npx', 'pynomaly-it', 'run'];
  for (const s of names) words.push('--suite', s);
  if (config.markers.length > 0) words.push('--markers', config.markers.join(','));
  words.push('--seed', String(config.seed));
  const repeats = repeat === true && config.repeat > 1;
  if (repeats) words.push('--repeat', String(config.repeat));
  if (names.length > 1 || repeats) words.push('--parallel', String(config.parallel));
  if (config.cpus !== undefined) words.push('--cpus', String(config.cpus));
  // Stacks starting beside a suite's tests are load too: a non-default count is replayed.
  if (config.warmStacks !== undefined && config.warmStacks !== DEFAULT_WARM_STACKS)
    words.push('--warm-stacks', String(config.warmStacks));
  if (images)
    words.push(
      '--image',
      images.pynomaly,
      '--postgres-image',
      images.postgres,
      '--redis-image',
      images.redis,
    );
  if (config.auth) words.push('--auth');
  if (config.coverage) words.push('--coverage');
  if (config.failFast) words.push('--fail-fast');
  if (config.timeoutMs !== 1_800_000) words.push('--timeout', String(config.timeoutMs / 1000));
  if (config.maxFailures !== 5) words.push('--max-failures', String(config.maxFailures));
  if (config.logLevel !== 'info') words.push('--log-level', config.logLevel);
  return words.map(shellQuote).join(' ');
}

/** Every repro line of a finished run, from its config, image IDs and results (with their times). */
export function buildRepro(input: {
  config: ReproConfig;
  images?: ImageIds;
  results: readonly (TimedResult & { status: SuiteStatus })[];
}): Repro {
  const { config, images, results } = input;
  const catalogue = config.suites.map((s) => s.name);
  const failedSuites = [...new Set(results.filter((r) => isFailure(r.status)).map((r) => r.job.suite.name))];
  const failed: Record<string, FailedRepro> = {};
  for (const suite of failedSuites) {
    const runs = results.filter((r) => r.job.suite.name === suite && isFailure(r.status));
    const others = concurrentSuites(runs, results);
    const concurrent = catalogue.filter((n) => others.includes(n));
    const together = catalogue.filter((n) => n === suite || concurrent.includes(n));
    failed[suite] = {
      alone: reproCommand({ config, images, suites: [suite] }),
      ...(concurrent.length > 0 ? { underLoad: reproCommand({ config, images, suites: together }) } : {}),
      concurrent,
    };
  }
  return { run: reproCommand({ config, images, repeat: true }), failed };
}

export function reproScript(record: { repro?: Repro; runId: string }): string {
  const repro = record.repro ?? { run: 'npx pynomaly-it run', failed: {} };
  const lines = [
    '#!/bin/sh',
    `# Reproduces run ${record.runId}: same suites, seed (data and test order), load, flags and image IDs.`,
    '# Run from the repository root. Each failed suite alone, and under the load it failed in',
    '# (with the suites that ran at the same time, same --parallel and --cpus):',
    ...Object.entries(repro.failed).flatMap(([suite, r]) => [
      `#   ${suite} alone:      ${r.alone}`,
      r.underLoad
        ? `#   ${suite} under load: ${r.underLoad}`
        : `#   ${suite} under load: (no other suite ran at the same time)`,
    ]),
    'set -e',
    `exec ${repro.run}`,
    '',
  ];
  return lines.join('\n');
}
