import { hostname, userInfo } from 'node:os';

/** Labels on everything a run creates; cleanup and the reaper find resources by them. */
export const LABEL = {
  run: 'pynomaly-it.run',
  owner: 'pynomaly-it.owner',
  suite: 'pynomaly-it.suite',
  pid: 'pynomaly-it.pid',
  role: 'pynomaly-it.role',
} as const;

export function owner(): string {
  let user = process.env.USER ?? 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // No passwd entry (some containers): keep $USER.
  }
  return `${user}@${hostname()}`;
}

/** The labels of one resource of a run. `pid` is the runner's: cleanup checks it is alive. */
export function runLabels(runId: string, suite: string, role?: string): Record<string, string> {
  return {
    [LABEL.run]: runId,
    [LABEL.owner]: owner(),
    [LABEL.suite]: suite,
    [LABEL.pid]: String(process.pid),
    ...(role ? { [LABEL.role]: role } : {}),
  };
}

/** Engine names allow [a-zA-Z0-9][a-zA-Z0-9_.-]*. */
function safe(part: string): string {
  return part.replace(/[^a-zA-Z0-9_.-]/g, '-');
}

/** `pit-<runId short>-<suite>-<role>`: readable in `docker ps`, unique per run and suite. */
export function containerName(runId: string, suite: string, role: string): string {
  return `pit-${safe(runId).slice(0, 16)}-${safe(suite)}-${safe(role)}`;
}
