import type { RunConfig } from '../config/types.ts';
import { shellQuote } from './escape.ts';

export interface ReproInput {
  config: Pick<
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
  >;
  /** Image IDs actually used (so a rebuilt tag cannot change what runs). */
  images?: { pynomaly: string; postgres: string; redis: string };
  /** Only these suites; default every suite of the run. */
  suites?: readonly string[];
}

/** `npx pynomaly-it run ...` with every flag that changes what runs. */
export function reproCommand({ config, images, suites }: ReproInput): string {
  const words = ['npx', 'pynomaly-it', 'run'];
  for (const s of suites ?? config.suites.map((x) => x.name)) words.push('--suite', s);
  if (config.markers.length > 0) words.push('--markers', config.markers.join(','));
  words.push('--seed', String(config.seed));
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

export function reproScript(record: {
  repro: { run: string; failed: Record<string, string> };
  runId: string;
}): string {
  const lines = [
    '#!/bin/sh',
    `# Reproduces run ${record.runId}: same suites, seed, flags and image IDs.`,
    '# Run from the repository root. Failed suites alone:',
    ...Object.entries(record.repro.failed).map(([job, cmd]) => `#   ${job}: ${cmd}`),
    'set -e',
    `exec ${record.repro.run}`,
    '',
  ];
  return lines.join('\n');
}
