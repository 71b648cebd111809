/**
 * Each stack (service + PostgreSQL + Redis) costs about 300 MB and keeps one core busy while its
 * suite runs, so by default as many suites run at once as there are cores, at most 4.
 */
export function defaultParallel(cores: number): number {
  return Math.max(1, Math.min(cores, 4));
}

export const DEFAULT_TIMEOUT_SECONDS = 1800;
export const DEFAULT_MAX_FAILURES = 5;
/** One stack started ahead: the next suite's start overlaps the current tests, at the cost of ~300 MB. */
export const DEFAULT_WARM_STACKS = 1;
/** `flakes`: runs of each suite per load level. */
export const DEFAULT_HUNT_ITERATIONS = 5;
export const DEFAULT_REPORTS_ROOT = 'test_reports';
/** Grace between SIGTERM and SIGKILL of a suite's process group. */
export const KILL_GRACE_MS = 5000;

/** Short, sortable, label-safe: base36 time + random. */
export function newRunId(now: Date, randomInt: () => number): string {
  const rand = (randomInt() % 36 ** 4).toString(36).padStart(4, '0');
  return `${now.getTime().toString(36)}${rand}`;
}

export function timestampForPath(now: Date): string {
  return now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}
