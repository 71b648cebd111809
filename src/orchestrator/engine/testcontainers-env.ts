/**
 * The settings testcontainers reads from the environment, filled in once before testcontainers is
 * loaded: it reads its reaper image when it loads, the rest when it first connects. Commands get
 * them through loadCore (session/core.ts), the engine tests through their setup file. A value the
 * user set is left alone.
 */
import { readFileSync, readlinkSync } from 'node:fs';
import { sourceTag } from '../images/tags.ts';
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
  if (host?.startsWith('tcp://')) return loopbackTcpEngine(env);
  if (host && !host.startsWith('unix://')) return false;
  try {
    const pid = readFileSync('/var/run/docker.pid', 'utf8').trim();
    return readlinkSync(`/proc/${pid}/ns/net`) === readlinkSync('/proc/self/ns/net');
  } catch {
    return false;
  }
}

function loopbackTcpEngine(env: NodeJS.ProcessEnv): boolean {
  return Boolean(env.DOCKER_HOST?.startsWith('tcp://') && isLoopback(new URL(env.DOCKER_HOST).hostname));
}

export interface TestcontainersSettings {
  /** Our reaper's image (containers/reaper), which speaks Ryuk's protocol: testcontainers' Ryuk. */
  reaperImage: string;
}

export function configureTestcontainers(env: NodeJS.ProcessEnv, settings: TestcontainersSettings): void {
  // testcontainers' own Ryuk image cannot be pulled on machines without a registry; ours is built
  // from source like the stack's images (resolveImages builds it), so the Ryuk stays on.
  env.RYUK_CONTAINER_IMAGE ??= settings.reaperImage;
  if (env.TESTCONTAINERS_HOST_OVERRIDE === undefined && engineSharesOurNetwork(env))
    env.TESTCONTAINERS_HOST_OVERRIDE = '127.0.0.1';
}

/**
 * Can testcontainers place its Ryuk and reach it? Not in two cases, where the run's own reaper
 * (reaper/placement.ts) covers everything:
 * - a tcp:// engine on our loopback: its Ryuk mounts the engine's socket, which such an engine
 *   does not tell; /var/run/docker.sock here is another engine (or nothing, and the engine would
 *   make a folder there);
 * - a runner that is a container of its engine (the host's socket mounted): it reaches containers
 *   over their networks, but testcontainers looks for its Ryuk at a port on the engine's host,
 *   closed to containers here.
 */
export function ryukUsable(env: NodeJS.ProcessEnv, reachMode: 'published' | 'network'): boolean {
  if (env.TESTCONTAINERS_DOCKER_SOCKET_OVERRIDE === undefined && loopbackTcpEngine(env)) return false;
  return reachMode !== 'network';
}

/** configureTestcontainers with this checkout's reaper image; call before testcontainers loads. */
export async function prepareTestcontainers(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  configureTestcontainers(env, { reaperImage: await sourceTag('reaper') });
}

/**
 * Was testcontainers told which Ryuk to start? If it loaded first it would try to pull its own,
 * which fails here only when the first container starts, with a pull error that names no cause.
 */
export function testcontainersPrepared(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.RYUK_CONTAINER_IMAGE !== undefined || env.TESTCONTAINERS_RYUK_DISABLED === 'true';
}
