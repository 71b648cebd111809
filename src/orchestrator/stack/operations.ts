/**
 * What a suite may ask of its stack while it runs (through the control channel): restart the
 * service, take Redis away and bring it back, read the service's memory, start the service
 * image once more with other settings. The orchestrator does these; suites never open Docker.
 */
import type Dockerode from 'dockerode';
import type { StackEndpoints } from '../../shared/stack-endpoints.ts';
import { demuxLogs } from './container-logs.ts';
import { runLabels } from './labels.ts';

/** A one-off start of the service image, for configuration checks. */
export interface TrialStart {
  /** The process's exit code, or null when it was still running at the deadline (it kept serving). */
  exitCode: number | null;
  log: string;
}

export interface StackOperations {
  /** SIGTERM, start again, wait until ready; the endpoints from now on (the mapped port may change). */
  restartService(): Promise<StackEndpoints>;
  stopRedis(): Promise<void>;
  /** Redis back; the endpoints from now on. */
  startRedis(): Promise<StackEndpoints>;
  /** Resident memory of the service container (page cache excluded), or null if unknown. */
  serviceMemoryBytes(): Promise<number | null>;
  /** The service image with `env` on top of the stack's, on the stack's network, until it exits (bounded). */
  trialStart(env: Record<string, string>, timeoutMs: number): Promise<TrialStart>;
}

export async function containerMemoryBytes(docker: Dockerode, container: string): Promise<number | null> {
  try {
    // one-shot: the memory figures at once. Without it the engine waits for a second CPU sample
    // first, 1-2 s per read; the performance suite reads memory around each of its load phases.
    const stats = (await docker.getContainer(container).stats({ stream: false, 'one-shot': true })) as {
      memory_stats?: { usage?: number; stats?: { inactive_file?: number } };
    };
    const usage = stats.memory_stats?.usage;
    return typeof usage === 'number' ? usage - (stats.memory_stats?.stats?.inactive_file ?? 0) : null;
  } catch {
    return null;
  }
}

/** Runs the service's image once, labelled with the run (cleanup and the reaper find it), and removes it. */
export async function trialStartOf(
  docker: Dockerode,
  stack: { runId: string; suite: string; serviceContainer: string; network: string },
  env: Record<string, string>,
  timeoutMs: number,
): Promise<TrialStart> {
  const service = await docker.getContainer(stack.serviceContainer).inspect();
  const base = (service.Config.Env ?? []).filter((e) => !Object.keys(env).some((k) => e.startsWith(`${k}=`)));
  const container = await docker.createContainer({
    Image: service.Config.Image,
    Env: [...base, ...Object.entries(env).map(([k, v]) => `${k}=${v}`)],
    Labels: runLabels(stack.runId, stack.suite, 'trial-start'),
    // The stack's own network, not the service's NetworkMode: a container with network aliases is
    // created on the engine's default bridge and then joined to the stack's, so that mode names
    // the default bridge, whose addresses concurrent trials used up on an engine with a small pool.
    HostConfig: { NetworkMode: stack.network },
  });
  try {
    await container.start();
    // A bounded wait for the exit: a service that keeps serving with a bad value never exits.
    let timer: NodeJS.Timeout | undefined;
    const exit = await Promise.race([
      container.wait() as Promise<{ StatusCode: number }>,
      new Promise<null>((resolve) => {
        timer = setTimeout(() => resolve(null), timeoutMs);
      }),
    ]).finally(() => clearTimeout(timer));
    const log = demuxLogs(await container.logs({ stdout: true, stderr: true, follow: false }));
    return { exitCode: exit ? exit.StatusCode : null, log };
  } finally {
    await container.remove({ force: true }).catch(() => undefined);
  }
}
