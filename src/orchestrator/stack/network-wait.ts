/**
 * Readiness checks the runner makes itself, from its side: at the container's address on a network
 * the runner joined (the runner in a container: engine/reach.ts; testcontainers' own checks go to
 * its host and the published port, which are not ours to reach then), or at the published port.
 */

import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type Dockerode from 'dockerode';
import { type BoundPorts, getContainerRuntimeClient, type WaitStrategy } from 'testcontainers';

const POLL_MS = 200;
const ATTEMPT_MS = 1_000;

function tcpOpen(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (open: boolean) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(ATTEMPT_MS, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

async function httpStatus(url: string): Promise<number | undefined> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(ATTEMPT_MS) });
    await response.body?.cancel();
    return response.status;
  } catch {
    return undefined;
  }
}

/** One check of a started container at `host`:`port`: true when ready. */
type Probe = (host: string, port: number) => Promise<boolean>;

/** Where the runner reaches a container's port: on a joined network, or where it is published. */
type Where = { network: string; port: number } | { published: number };

class ProbeWait implements WaitStrategy {
  private startupTimeoutMs = 60_000;
  private timeoutSet = false;

  constructor(
    private readonly where: Where,
    private readonly what: string,
    private readonly probe: Probe,
  ) {}

  private async target(
    info: Dockerode.ContainerInspectInfo,
    boundPorts: BoundPorts,
  ): Promise<{ host: string; port: number } | undefined> {
    if ('network' in this.where) {
      const host = info.NetworkSettings.Networks?.[this.where.network]?.IPAddress;
      return host ? { host, port: this.where.port } : undefined;
    }
    // Read at each wait: a restart may publish the port elsewhere (testcontainers re-reads it).
    const host = (await getContainerRuntimeClient()).info.containerRuntime.host;
    return { host, port: boundPorts.getBinding(this.where.published) };
  }

  async waitUntilReady(container: Dockerode.Container, boundPorts: BoundPorts): Promise<void> {
    const deadline = Date.now() + this.startupTimeoutMs;
    const place = 'network' in this.where ? ` on network ${this.where.network}` : '';
    for (;;) {
      const info = await container.inspect();
      // A container that exited will not become ready: fail now, not at the deadline.
      if (!info.State.Running)
        throw new Error(`container exited (${info.State.ExitCode}) before ${this.what}`);
      const target = await this.target(info, boundPorts);
      if (target && (await this.probe(target.host, target.port))) return;
      if (Date.now() > deadline)
        throw new Error(`${this.what} not reached${place} within ${this.startupTimeoutMs} ms`);
      await sleep(POLL_MS);
    }
  }

  withStartupTimeout(startupTimeoutMs: number): this {
    this.startupTimeoutMs = startupTimeoutMs;
    this.timeoutSet = true;
    return this;
  }

  isStartupTimeoutSet(): boolean {
    return this.timeoutSet;
  }

  getStartupTimeout(): number {
    return this.startupTimeoutMs;
  }
}

/** Ready when `port` accepts a TCP connection at the container's address on `network`. */
export function tcpOnNetwork(network: string, port: number): WaitStrategy {
  return new ProbeWait({ network, port }, `port ${port}`, tcpOpen);
}

/** Ready when GET `path` on `port` answers `status` at the container's address on `network`. */
export function httpOnNetwork(network: string, port: number, path: string, status: number): WaitStrategy {
  return new ProbeWait(
    { network, port },
    `HTTP ${status} from ${path}`,
    async (host, at) => (await httpStatus(`http://${host}:${at}${path}`)) === status,
  );
}

/** True when the server at host:port answers the inline command PING with +PONG (not -LOADING). */
function redisAnswersPing(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    let reply = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(ATTEMPT_MS, () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
    socket.once('error', () => done(false));
    socket.once('end', () => done(false));
  });
}

/**
 * Ready when Redis answers PING, on the joined network or at its published port. Not its log:
 * after Redis was stopped and started again, the engine once kept no log of the new start (on a
 * loaded machine), and the log wait timed out with Redis up.
 */
export function redisPing(where: Where): WaitStrategy {
  return new ProbeWait(where, 'Redis answering PING', redisAnswersPing);
}
