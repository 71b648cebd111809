/**
 * Where the run's reaper talks to its engine from, and where the runner reaches it. The reaper
 * must sweep the engine it runs on; a socket path names a file on the engine's host, which the
 * runner cannot see for a tcp:// engine (testcontainers assumes /var/run/docker.sock there).
 */
import { isLoopback } from '../engine/loopback.ts';

export type ReaperPlacement =
  /**
   * A tcp:// engine on our loopback (same host, same network namespace): the reaper runs on the
   * host's network and speaks to the engine over that same address; it listens on loopback.
   */
  | { kind: 'host-network'; engine: string; tlsDir?: string }
  /** The engine's socket mounted in; the reaper's port published (on loopback when we reach it there). */
  | { kind: 'socket'; socket: string; loopback: boolean };

export interface PlacementInput {
  /** The engine as DOCKER_HOST spells it (the client we talk to). */
  dockerHost: string;
  /** Where testcontainers reaches mapped ports (its runtime host). */
  runtimeHost: string;
  /** testcontainers' view of the engine's socket on the engine's host. */
  remoteSocketPath: string;
  /** TESTCONTAINERS_DOCKER_SOCKET_OVERRIDE: the user named the socket, so it is used. */
  socketOverride?: string;
  /** DOCKER_CERT_PATH when DOCKER_TLS_VERIFY=1: the reaper needs the same certificates. */
  tlsDir?: string;
}

export function reaperPlacement(input: PlacementInput): ReaperPlacement {
  if (input.dockerHost.startsWith('tcp://') && !input.socketOverride) {
    const url = new URL(input.dockerHost);
    if (isLoopback(url.hostname))
      return input.tlsDir
        ? { kind: 'host-network', engine: `tcp://${url.hostname}:${url.port || 2376}`, tlsDir: input.tlsDir }
        : { kind: 'host-network', engine: `tcp://${url.hostname}:${url.port || 2375}` };
  }
  return { kind: 'socket', socket: input.remoteSocketPath, loopback: isLoopback(input.runtimeHost) };
}
