import { join } from 'node:path';

export interface VitestArgsInput {
  /** Suite folder or test files, relative to the repository root (scheduler/jobs.ts: jobFiles). */
  paths: readonly string[];
  /** Globs of files not to run (a suite's parts, which run on stacks of their own). */
  exclude?: readonly string[];
  /** The suite's reports folder (absolute). */
  outDir: string;
  /** Absolute path of progress-reporter.ts. */
  progressReporter: string;
  /** Absolute path of the report's failure reporter (failures.json: diffs, frames, times). */
  failureReporter?: string;
  maxFailures: number;
  failFast: boolean;
  tagsFilter?: string;
  /** Order seed: files and the tests inside each file are shuffled with it (same seed, same order). */
  seed: number;
  configFile: string;
}

/** Arguments of `vitest run` for one suite: reporters to files, bail, tag filter, shuffled order. */
export function vitestArgs(input: VitestArgsInput): string[] {
  const bail = input.failFast ? 1 : input.maxFailures;
  const args = [
    'run',
    '--config',
    input.configFile,
    '--reporter=default',
    `--reporter=${input.progressReporter}`,
    ...(input.failureReporter ? [`--reporter=${input.failureReporter}`] : []),
    '--reporter=junit',
    `--outputFile.junit=${join(input.outDir, 'junit.xml')}`,
    '--reporter=json',
    `--outputFile.json=${join(input.outDir, 'results.json')}`,
    // `--sequence.seed` alone changes nothing: the seed only drives a shuffle that is switched on.
    '--sequence.shuffle.files',
    '--sequence.shuffle.tests',
    `--sequence.seed=${input.seed}`,
    '--no-color',
  ];
  if (bail > 0) args.push(`--bail=${bail}`);
  if (input.tagsFilter) args.push(`--tagsFilter=${input.tagsFilter}`, '--passWithNoTests');
  for (const glob of input.exclude ?? []) args.push(`--exclude=${glob}`);
  args.push(...input.paths);
  return args;
}
