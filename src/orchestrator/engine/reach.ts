/**
 * How the runner reaches the containers it starts. Where the engine shares our network
 * namespace (a local dockerd, the CI image's nested engine), published ports are on 127.0.0.1.
 * Where the runner is itself a container of that engine (the CI image with the host's socket
 * mounted), published ports are on the engine's host, not on our loopback: the runner joins each
 * stack's network and uses the containers' addresses and internal ports. A set
 * TESTCONTAINERS_HOST_OVERRIDE (unusual set-ups) and an engine that does not know us (remote)
 * keep published ports at that host.
 */
import { dockerodeOf, engineClient } from './client.ts';
import { readOwnContainerCandidates } from './own-container.ts';

export type Reach =
  /** Published ports at `host`. */
  | { mode: 'published'; host: string }
  /**
   * The runner is container `self` of the engine: it joins the stacks' networks; `network` is
   * one it is on already (for containers it reaches without a stack network: the reaper).
   */
  | { mode: 'network'; self: string; network: string };

/** What the engine says of the container we run in. */
export interface OwnContainer {
  id: string;
  /** HostConfig.NetworkMode: default, bridge, a network's name, host, container:<id>, none. */
  networkMode: string;
  /** The networks it is attached to. */
  networks: string[];
}

export function decideReach(facts: {
  hostOverride?: string;
  /** Where testcontainers publishes (its host: an override, the bridge gateway, localhost). */
  runtimeHost: string;
  own?: OwnContainer;
}): Reach {
  const { hostOverride, runtimeHost, own } = facts;
  if (hostOverride) return { mode: 'published', host: hostOverride };
  // Sharing the host's or another container's namespace, a container cannot join networks.
  const joinable =
    own &&
    own.networks.length > 0 &&
    !['host', 'none'].includes(own.networkMode) &&
    !own.networkMode.startsWith('container:');
  return joinable
    ? { mode: 'network', self: own.id, network: own.networks[0] }
    : { mode: 'published', host: runtimeHost };
}

/** The first candidate the engine knows as a running container (it is us). */
async function ownContainer(): Promise<OwnContainer | undefined> {
  const docker = dockerodeOf(await engineClient());
  for (const candidate of readOwnContainerCandidates()) {
    try {
      const info = await docker.getContainer(candidate).inspect();
      if (info.State.Running)
        return {
          id: info.Id,
          networkMode: info.HostConfig.NetworkMode ?? 'default',
          networks: Object.keys(info.NetworkSettings.Networks ?? {}),
        };
    } catch {
      // Not a container of this engine.
    }
  }
  return undefined;
}

let reach: Promise<Reach> | undefined;

/** The runner's reach, decided once per process (after the engine client set the environment). */
export function engineReach(): Promise<Reach> {
  reach ??= (async () => {
    const client = await engineClient();
    const hostOverride = process.env.TESTCONTAINERS_HOST_OVERRIDE;
    return decideReach({
      hostOverride,
      runtimeHost: client.info.containerRuntime.host,
      own: hostOverride ? undefined : await ownContainer(),
    });
  })().catch((error) => {
    reach = undefined;
    throw error;
  });
  return reach;
}
