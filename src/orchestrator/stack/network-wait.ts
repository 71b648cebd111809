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

/** Ready when GET `path` on `port` answers `status` at the container's address on `network`. */
export function httpOnNetwork(network: string, port: number, path: string, status: number): WaitStrategy {
  return new ProbeWait(
    { network, port },
    `HTTP ${status} from ${path}`,
    async (host, at) => (await httpStatus(`http://${host}:${at}${path}`)) === status,
  );
}

/**
 * Sends `request` to host:port and judges the reply as it arrives: `verdict` says true or false
 * once it has seen enough, undefined to read on. No reply within a second, a refused or closed
 * connection: false.
 */
function answers(
  host: string,
  port: number,
  request: string | Buffer,
  verdict: (reply: Buffer) => boolean | undefined,
): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    let reply = Buffer.alloc(0);
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(ATTEMPT_MS, () => done(false));
    socket.once('connect', () => socket.write(request));
    socket.on('data', (chunk: Buffer) => {
      reply = Buffer.concat([reply, chunk]);
      const ok = verdict(reply);
      if (ok !== undefined) done(ok);
    });
    socket.once('error', () => done(false));
    socket.once('end', () => done(false));
  });
}

/** Redis answers the inline command PING with +PONG (not -LOADING while it loads). */
const redisAnswersPing = (host: string, port: number) =>
  answers(host, port, 'PING\r\n', (reply) =>
    reply.includes('\r\n') ? reply.toString().startsWith('+PONG') : undefined,
  );

/**
 * PostgreSQL answers the protocol's SSLRequest (length 8, code 80877103) with one byte, 'S' or
 * 'N'. An open port alone says nothing where the engine publishes through a userland proxy (it
 * accepts for the container), and a set-up server that listens on no port never answers.
 */
const postgresAnswers = (host: string, port: number) =>
  answers(
    host,
    port,
    Buffer.from([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f]),
    (reply) => reply[0] === 0x53 || reply[0] === 0x4e,
  );

/** Ready when PostgreSQL answers its protocol, on the joined network or at its published port. */
export function postgresAnswering(where: Where): WaitStrategy {
  return new ProbeWait(where, 'PostgreSQL answering', postgresAnswers);
}

/**
 * Ready when Redis answers PING, on the joined network or at its published port. Not its log:
 * after Redis was stopped and started again, the engine once kept no log of the new start (on a
 * loaded machine), and the log wait timed out with Redis up.
 */
export function redisPing(where: Where): WaitStrategy {
  return new ProbeWait(where, 'Redis answering PING', redisAnswersPing);
}
