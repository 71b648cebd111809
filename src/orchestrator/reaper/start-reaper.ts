import { createServer } from 'node:net';
import type Dockerode from 'dockerode';
import type { Logger } from 'pino';
import { dockerHostOf, dockerodeOf, engineClient } from '../engine/client.ts';
import { engineReach } from '../engine/reach.ts';
import { resolveNamed } from '../images/index.ts';
import { containerName, LABEL, runLabels } from '../stack/labels.ts';
import { forceRemoveContainer } from '../stack/remove.ts';
import { holdReaperConnection, type ReaperConnection, ReaperRefusedError } from './connection.ts';
import { type ReaperPlacement, reaperPlacement } from './placement.ts';

const REAPER_PORT = 8080;

export interface ReaperHandle {
  /** Engine-side name of the reaper container. */
  container: string;
  /**
   * A normal end: drop the connection. The reaper sweeps what is left of the run within ~3 s and
   * removes itself; returns at once.
   */
  close(): Promise<void>;
}

export interface ReaperOptions {
  /** The reaper image; resolved (built when missing) from containers/reaper otherwise. */
  image?: string;
  /** Grace after the last connection closes before sweeping (ms). */
  graceMs?: number;
  logger?: Logger;
}

/** A free TCP port on 127.0.0.1 (for a reaper on the host's network, which cannot publish one). */
function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

interface PlacedSettings {
  env: string[];
  hostConfig: Dockerode.HostConfig;
  exposed: Record<string, object>;
  /** Known before the start when it listens on the host's loopback. */
  port?: number;
}

/** The container's settings for a placement (placement.ts says which and why). */
async function placed(placement: ReaperPlacement): Promise<PlacedSettings> {
  if (placement.kind === 'host-network') {
    const port = await freeLoopbackPort();
    // The engine is on this host: its certificates' folder is a path there too.
    const tls = placement.tlsDir ? ['REAPER_DOCKER_TLS_DIR=/certs'] : [];
    return {
      env: [
        `REAPER_PORT=${port}`,
        `REAPER_DOCKER_HOST=${placement.engine}`,
        'REAPER_LISTEN_HOST=127.0.0.1',
        ...tls,
      ],
      hostConfig: {
        NetworkMode: 'host',
        ...(placement.tlsDir ? { Binds: [`${placement.tlsDir}:/certs:ro`] } : {}),
      },
      exposed: {},
      port,
    };
  }
  return {
    env: [`REAPER_PORT=${REAPER_PORT}`],
    hostConfig: {
      Binds: [`${placement.socket}:/var/run/docker.sock`],
      PortBindings: {
        [`${REAPER_PORT}/tcp`]: [{ HostIp: placement.loopback ? '127.0.0.1' : '', HostPort: '' }],
      },
    },
    exposed: { [`${REAPER_PORT}/tcp`]: {} },
  };
}

/**
 * Starts this run's reaper (a container, first of the run) and holds a TCP connection to it for
 * the life of this process. When the process ends in any way (even kill -9) the connection drops
 * and the reaper removes every container, network and volume labelled pynomaly-it.run=<runId>.
 */
export async function startReaper(runId: string, options: ReaperOptions = {}): Promise<ReaperHandle> {
  const client = await engineClient();
  const docker = dockerodeOf(client);
  const image =
    options.image ?? (await resolveNamed(['reaper'], { logger: options.logger })).requested[0].ref;
  const name = containerName(runId, 'run', 'reaper');
  const host = client.info.containerRuntime.host;
  const placement = reaperPlacement({
    dockerHost: dockerHostOf(docker),
    runtimeHost: host,
    remoteSocketPath: client.info.containerRuntime.remoteSocketPath,
    socketOverride: process.env.TESTCONTAINERS_DOCKER_SOCKET_OVERRIDE,
    tlsDir: process.env.DOCKER_TLS_VERIFY === '1' ? process.env.DOCKER_CERT_PATH : undefined,
  });
  const settings = await placed(placement);
  // A runner in a container of the engine reaches the reaper on its own network (engine/reach.ts).
  const reach = await engineReach();
  const joined = reach.mode === 'network' && placement.kind === 'socket' ? reach.network : undefined;
  const container = await docker.createContainer({
    name,
    Image: image,
    Labels: runLabels(runId, 'run', 'reaper'),
    Env: [
      ...settings.env,
      // It looks itself up by name: an engine that does not know it is not its engine.
      `REAPER_SELF_NAME=${name}`,
      ...(options.graceMs === undefined ? [] : [`REAPER_GRACE_MS=${options.graceMs}`]),
    ],
    ExposedPorts: settings.exposed,
    HostConfig: { AutoRemove: true, ...settings.hostConfig, ...(joined ? { NetworkMode: joined } : {}) },
  });
  // The run's filter goes over the connection, as testcontainers sends its session's to Ryuk.
  const filter = `label=${LABEL.run}=${runId}`;
  let connection: ReaperConnection;
  try {
    await container.start();
    const port =
      settings.port ??
      Number((await container.inspect()).NetworkSettings.Ports[`${REAPER_PORT}/tcp`]?.[0]?.HostPort);
    const onLoopback = placement.kind === 'host-network' || placement.loopback;
    const address = joined && (await container.inspect()).NetworkSettings.Networks[joined]?.IPAddress;
    connection = await holdReaperConnection({
      host: address || (onLoopback ? '127.0.0.1' : host),
      port: address ? REAPER_PORT : port,
      filter,
      name,
      logger: options.logger,
    });
  } catch (error) {
    await forceRemoveContainer(docker, name).catch(() => undefined);
    const fix =
      error instanceof ReaperRefusedError && placement.kind === 'socket'
        ? ` (it was given ${placement.socket}; set TESTCONTAINERS_DOCKER_SOCKET_OVERRIDE to the engine's socket path on the engine's host)`
        : '';
    throw new Error(`could not start the reaper of run ${runId}: ${(error as Error).message}${fix}`);
  }
  options.logger?.debug({ container: name }, 'reaper started');
  return {
    container: name,
    close: () => connection.close(),
  };
}
