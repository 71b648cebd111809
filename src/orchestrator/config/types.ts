import type { Marker, SuiteDefinition } from '../suites/catalog.ts';

export const COMMANDS = [
  'run',
  'health',
  'up',
  'clean',
  'list',
  'images',
  'flakes',
  'merge-reports',
] as const;
export type CommandName = (typeof COMMANDS)[number];

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export type LogFormat = 'pretty' | 'json';

/** Load levels of the flake hunter: default --parallel, and twice as many suites as cores. */
export const LOAD_LEVELS = ['normal', 'oversubscribed'] as const;
export type LoadLevel = (typeof LOAD_LEVELS)[number];

/** One load level of a flake hunt: how many suites at once, and the CPU quota of each container. */
export interface HuntLevel {
  load: LoadLevel;
  parallel: number;
  cpus?: number;
}

/** Everything a command needs to know, read once from flags and environment, then frozen. */
export interface RunConfig {
  command: CommandName;
  runId: string;
  /** Selected suites, non-exclusive first. Empty for clean/list. */
  suites: readonly SuiteDefinition[];
  /** `merge-reports <dir>...`: the run folders (shards) to combine, absolute. */
  mergeDirs: readonly string[];
  /** `--shard i/n`: `suites` is already that shard's part of the selection. */
  shard?: import('../suites/shard.ts').Shard;
  /** What the user typed for --suite (for the repro command); empty means all. */
  suiteArgs: readonly string[];
  markers: readonly Marker[];
  /** Vitest `--tagsFilter` from --markers. */
  tagsFilter?: string;
  coverage: boolean;
  auth: boolean;
  failFast: boolean;
  /** Per suite, for the vitest process. */
  timeoutMs: number;
  /** Per suite; 0 = no limit. Becomes vitest --bail. */
  maxFailures: number;
  logLevel: LogLevel;
  logFormat: LogFormat;
  parallel: number;
  /** CPU quota of every container of each stack (--cpus); undefined = no quota. */
  cpus?: number;
  /** Stacks started ahead of their job while earlier suites test (--warm-stacks); 0 = none. */
  warmStacks: number;
  images: { pynomaly?: string; postgres?: string; redis?: string };
  keep: boolean;
  seed: number;
  /** True when --seed was given (otherwise it was drawn for this run and is recorded). */
  seedGiven: boolean;
  repeat: number;
  /** `flakes`: runs of each suite per load level (--iterations), and the load levels. */
  hunt: { iterations: number; levels: readonly HuntLevel[] };
  reportsDir: string;
  /** Parent of the per-run folders, where the `latest` link lives. */
  reportsRoot: string;
  /** `--list` on run: print the catalogue and exit. */
  list: boolean;
  ci: boolean;
  /** Live table redrawn in place (TTY and not CI). */
  interactive: boolean;
  /** Running in GitHub Actions (GITHUB_ACTIONS=true): annotations, and the summary file when set. */
  github?: { stepSummary?: string };
  /** Extra PYNOMALY_* variables for every stack (`--service-env`, e.g. to replay a configuration). */
  serviceEnv: Readonly<Record<string, string>>;
  cwd: string;
}

/** What parseConfig may read of the world; injected so parsing stays pure. */
export interface ParseContext {
  cores: number;
  stdoutIsTTY: boolean;
  now: Date;
  /** Uniform integer in [0, 2^31). */
  randomInt: () => number;
  cwd: string;
  /** The package's version (--version). */
  version: string;
}

export type ParseOutcome = { kind: 'config'; config: RunConfig } | { kind: 'output'; text: string };
