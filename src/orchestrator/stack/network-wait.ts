/**
 * Readiness checks that reach a container at its address on a network the runner joined (the
 * runner in a container: engine/reach.ts). Testcontainers' own checks go to its host and the
 * published port, which are not ours to reach then.
 */

import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type Dockerode from 'dockerode';
import type { BoundPorts, WaitStrategy } from 'testcontainers';

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

/** One check of a started container at `host`: true when ready. */
type Probe = (host: string) => Promise<boolean>;

class OnNetworkWait implements WaitStrategy {
  private startupTimeoutMs = 60_000;
  private timeoutSet = false;

  constructor(
    private readonly network: string,
    private readonly what: string,
    private readonly probe: Probe,
  ) {}

  async waitUntilReady(container: Dockerode.Container, _boundPorts: BoundPorts): Promise<void> {
    const deadline = Date.now() + this.startupTimeoutMs;
    for (;;) {
      const info = await container.inspect();
      // A container that exited will not become ready: fail now, not at the deadline.
      if (!info.State.Running)
        throw new Error(`container exited (${info.State.ExitCode}) before ${this.what}`);
      const host = info.NetworkSettings.Networks?.[this.network]?.IPAddress;
      if (host && (await this.probe(host))) return;
      if (Date.now() > deadline)
        throw new Error(
          `${this.what} not reached on network ${this.network} within ${this.startupTimeoutMs} ms`,
        );
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
  return new OnNetworkWait(network, `port ${port}`, (host) => tcpOpen(host, port));
}

/** Ready when GET `path` on `port` answers `status` at the container's address on `network`. */
export function httpOnNetwork(network: string, port: number, path: string, status: number): WaitStrategy {
  return new OnNetworkWait(network, `HTTP ${status} from ${path}`, async (host) => {
    return (await httpStatus(`http://${host}:${port}${path}`)) === status;
  });
}
