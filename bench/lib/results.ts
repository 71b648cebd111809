/**
 * What `npm run bench` records: one file a day (bench/results/<date>.json) with the last
 * measurement of each part. A run of some parts replaces those and keeps the others, so parts
 * measured at different times of the day (the cold run needs a second engine) sit side by side,
 * each with its own time and load.
 */

export const PARTS = ['stack-start', 'full-run', 'cold-run', 'npm-test', 'load'] as const;
export type Part = (typeof PARTS)[number];

export interface Seconds {
  n: number;
  median: number;
  p95: number;
  min: number;
}

export interface StackStartFigures {
  /** Discarded pairs before the measured ones (first use of the engine client, page cache). */
  warmup: number;
  oursSeconds: Seconds;
  floorSeconds: Seconds;
  ratioMedian: number;
  ratioP95: number;
  samples: { ours: number[]; floor: number[] };
}

export interface SuitePhases {
  status: string;
  seconds: number;
  /** Waiting for a healthy stack (only what was left to wait when it was started ahead). */
  stackSeconds: number;
  stackWarm: boolean;
  testsSeconds: number;
  teardownSeconds: number;
  /** Logs, coverage and reports after the tests. */
  otherSeconds: number;
  /** (stack start + teardown) / suite time. */
  stackShare: number;
  testsShare: number;
}

export interface FullRunFigures {
  wallSeconds: number;
  exitCode: number | null;
  timedOut: boolean;
  parallel: number | null;
  /** The run's own timings (run.json): engine check, image resolution, the suites. */
  recordedSeconds: { engine: number; images: number; suites: number };
  suites: Record<string, SuitePhases>;
}

export interface Step {
  seconds: number;
  passed: boolean;
}

export interface ColdRunFigures {
  totalSeconds: number;
  passed: boolean;
  /** clone, npm ci, images (built on the empty engine), run (the hermetic suites). */
  steps: Record<string, Step>;
  engine: string;
  /** The engine's address (a non-default unix socket: the run is also a remote-engine run). */
  dockerHost: string;
  /** Containers, networks and volumes labelled pynomaly-it.run left on that engine after the run (none expected). */
  leftovers: string[];
}

export interface NpmTestFigures {
  /** typecheck, lint, then vitest's projects one at a time. */
  steps: Record<string, Step>;
  totalSeconds: number;
}

export interface LoadSide {
  requestsPerSecond: number;
  requests: number;
  non2xx: number;
  errors: number;
  latencyMs: { p50: number; p99: number };
}

export interface LoadWorkload {
  service: LoadSide;
  bare: LoadSide;
  /** service / bare requests per second. */
  ratio: number;
}

export interface LoadFigures {
  connections: number;
  secondsPerRun: number;
  /** Runs per side and workload, alternated (service, bare, bare, service). */
  runsPerSide: number;
  workloads: Record<string, LoadWorkload>;
}

export interface FiguresOf {
  'stack-start': StackStartFigures;
  'full-run': FullRunFigures;
  'cold-run': ColdRunFigures;
  'npm-test': NpmTestFigures;
  load: LoadFigures;
}

export interface PartRecord<P extends Part = Part> {
  measuredAt: string;
  seconds: number;
  /** 1, 5 and 15 minute load averages when the part started and when it ended. */
  loadAverage: { start: number[]; end: number[] };
  git: { head: string; dirtyFiles: number };
  note?: string;
  figures?: FiguresOf[P];
  /** The part could not be measured; why. */
  error?: string;
}

export interface DayResults {
  updatedAt: string;
  cores: number;
  parts: { [P in Part]?: PartRecord<P> };
}

/** The day's results with this run's parts put in place of earlier ones. */
export function mergeResults(earlier: unknown, now: DayResults): DayResults {
  const kept =
    earlier && typeof earlier === 'object' && 'parts' in earlier ? ((earlier as DayResults).parts ?? {}) : {};
  return { ...now, parts: { ...kept, ...now.parts } };
}

/** `--part a,b --part c` (or the older `--only a,b`) to a list of known parts; all when none named. */
export function selectParts(values: readonly string[]): Part[] {
  const named = values
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
  if (named.length === 0) return [...PARTS];
  const unknown = named.filter((n) => !(PARTS as readonly string[]).includes(n));
  if (unknown.length > 0) throw new Error(`unknown part ${unknown.join(', ')}; parts: ${PARTS.join(', ')}`);
  return PARTS.filter((p) => named.includes(p));
}
