import { isProcessAlive as alive } from '../cleanup/liveness.ts';

/** Set by the orchestrator on its vitest child: its own PID. */
export const PARENT_PID_ENV = 'PYNOMALY_IT_PARENT_PID';

/**
 * Runs inside vitest (the orchestrator starts it as a process-group leader). If the
 * orchestrator is killed with -9, nothing stops this group, so it stops itself: once the
 * parent is gone, SIGKILL to the own group (vitest and its workers). The reaper removes the stack.
 */
export function guardAgainstOrphaning(env: NodeJS.ProcessEnv = process.env, intervalMs = 1000): void {
  const parent = Number(env[PARENT_PID_ENV]);
  if (!Number.isInteger(parent) || parent <= 1) return;
  const timer = setInterval(() => {
    if (alive(parent) && process.ppid === parent) return;
    try {
      process.kill(-process.pid, 'SIGKILL');
    } catch {
      process.exit(137);
    }
  }, intervalMs);
  timer.unref();
}
