/**
 * The settings testcontainers reads from the environment, filled in once before its runtime
 * client is created (engine/client.ts). A value the user set is left alone.
 */
import { readFileSync, readlinkSync } from 'node:fs';
import { isLoopback } from './loopback.ts';

/**
 * Does the engine run in our own network namespace (a local dockerd, or the nested engine of the
 * CI container)? Then published ports are on 127.0.0.1. Inside a container (/.dockerenv)
 * testcontainers would otherwise pick the bridge gateway, which works but is not loopback, and
 * the load suites refuse anything but loopback. An engine we cannot see (a socket mounted from
 * elsewhere, a remote DOCKER_HOST) keeps testcontainers' own choice.
 */
function engineSharesOurNetwork(env: NodeJS.ProcessEnv): boolean {
  const host = env.DOCKER_HOST;
  // A tcp:// engine on our loopback shares this host's network (testcontainers reaches it there).
  if (host?.startsWith('tcp://')) return isLoopback(new URL(host).hostname);
  if (host && !host.startsWith('unix://')) return false;
  try {
    const pid = readFileSync('/var/run/docker.pid', 'utf8').trim();
    return readlinkSync(`/proc/${pid}/ns/net`) === readlinkSync('/proc/self/ns/net');
  } catch {
    return false;
  }
}

export function configureTestcontainers(env: NodeJS.ProcessEnv): void {
  // Ryuk (testcontainers' own reaper image) cannot be pulled on these machines. Our reaper
  // (containers/reaper) speaks its protocol, and the orchestrator holds one per run that also
  // covers what testcontainers does not label (the stack's network). Testcontainers can take ours
  // as its Ryuk (RYUK_CONTAINER_IMAGE=<reaper image>, TESTCONTAINERS_RYUK_DISABLED=false:
  // test/engine/core-reaper.test.ts); unless the user says so, its own stays off.
  if (env.RYUK_CONTAINER_IMAGE === undefined) env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
  if (env.TESTCONTAINERS_HOST_OVERRIDE === undefined && engineSharesOurNetwork(env))
    env.TESTCONTAINERS_HOST_OVERRIDE = '127.0.0.1';
}
