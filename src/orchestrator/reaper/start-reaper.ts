import { connect, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { dockerodeOf, engineClient } from '../engine/client.ts';
import { resolveNamed } from '../images/index.ts';
import { containerName, LABEL, runLabels } from '../stack/labels.ts';
import { forceRemoveContainer } from '../stack/remove.ts';

const REAPER_PORT = 8080;
const READY_TIMEOUT_MS = 20_000;

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

/**
 * Connects, sends the run's filter in Ryuk's protocol and waits for its ACK (the engine's port
 * proxy accepts before the reaper listens: no ACK, try again).
 */
async function connectWhenReady(
  host: string,
  port: number,
  filter: string,
  deadline: number,
): Promise<Socket> {
  for (;;) {
    const socket = await new Promise<Socket | undefined>((resolve) => {
      const s = connect({ host, port }, () => s.write(`${filter}\n`));
      let data = '';
      const fail = () => {
        s.destroy();
        resolve(undefined);
      };
      s.setTimeout(2000, fail);
      s.on('error', fail);
      s.on('close', () => resolve(undefined));
      s.on('data', (d) => {
        data += d;
        if (data.includes('ACK')) {
          s.setTimeout(0);
          s.removeAllListeners('data');
          resolve(s);
        }
      });
    });
    if (socket) return socket;
    if (Date.now() > deadline)
      throw new Error(`the reaper did not answer on ${host}:${port} within ${READY_TIMEOUT_MS / 1000} s`);
    await sleep(100);
  }
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
  const local = host === 'localhost' || host === '127.0.0.1';
  const container = await docker.createContainer({
    name,
    Image: image,
    Labels: runLabels(runId, 'run', 'reaper'),
    Env: [
      `REAPER_PORT=${REAPER_PORT}`,
      ...(options.graceMs === undefined ? [] : [`REAPER_GRACE_MS=${options.graceMs}`]),
    ],
    ExposedPorts: { [`${REAPER_PORT}/tcp`]: {} },
    HostConfig: {
      AutoRemove: true,
      Binds: [`${client.info.containerRuntime.remoteSocketPath}:/var/run/docker.sock`],
      PortBindings: { [`${REAPER_PORT}/tcp`]: [{ HostIp: local ? '127.0.0.1' : '', HostPort: '' }] },
    },
  });
  let socket: Socket;
  try {
    await container.start();
    const inspected = await container.inspect();
    const port = Number(inspected.NetworkSettings.Ports[`${REAPER_PORT}/tcp`]?.[0]?.HostPort);
    // The run's filter goes over the connection, as testcontainers sends its session's to Ryuk.
    const filter = `label=${LABEL.run}=${runId}`;
    socket = await connectWhenReady(local ? '127.0.0.1' : host, port, filter, Date.now() + READY_TIMEOUT_MS);
  } catch (error) {
    await forceRemoveContainer(docker, name).catch(() => undefined);
    throw new Error(`could not start the reaper of run ${runId}: ${(error as Error).message}`);
  }
  socket.setKeepAlive(true, 1000);
  socket.on('error', () => undefined);
  // The connection must not keep Node alive: its end (with the process) is the signal.
  socket.unref();
  options.logger?.debug({ container: name }, 'reaper started');
  return {
    container: name,
    async close() {
      socket.destroy();
    },
  };
}
