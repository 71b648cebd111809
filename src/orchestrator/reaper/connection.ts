/**
 * The runner's hold on a reaper (ours, or testcontainers' Ryuk, which is our image): a TCP
 * connection that sent a filter line in Ryuk's protocol and got its ACK. While one is open the
 * reaper waits; once none is (the runner ended, even by kill -9) it sweeps what the filters match.
 */
import { connect, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';

const READY_TIMEOUT_MS = 20_000;

/** A reaper that reaches another engine than its own says so instead of ACK; that is final. */
export class ReaperRefusedError extends Error {}

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
    const socket = await new Promise<Socket | ReaperRefusedError | undefined>((resolve) => {
      const s = connect({ host, port }, () => s.write(`${filter}\n`));
      let data = '';
      const fail = () => {
        s.destroy();
        resolve(undefined);
      };
      s.setTimeout(2000, fail);
      s.on('error', fail);
      s.on('close', () =>
        resolve(data.startsWith('ERR ') ? new ReaperRefusedError(data.slice(4).trim()) : undefined),
      );
      s.on('data', (d) => {
        data += d;
        if (data.includes('ACK')) {
          s.setTimeout(0);
          s.removeAllListeners('data');
          resolve(s);
        }
      });
    });
    if (socket instanceof ReaperRefusedError) throw socket;
    if (socket) return socket;
    if (Date.now() > deadline)
      throw new Error(`the reaper did not answer on ${host}:${port} within ${READY_TIMEOUT_MS / 1000} s`);
    await sleep(100);
  }
}

export interface ReaperConnection {
  /** A normal end: drop the connection (the reaper sweeps after its grace) and stop reconnecting. */
  close(): Promise<void>;
}

export interface ReaperAddress {
  host: string;
  port: number;
  /** `label=k=v[&label=k=v]`: what the reaper removes once no runner holds it. */
  filter: string;
  /** The reaper's container, for the log. */
  name: string;
  logger?: Logger;
}

/**
 * Connects (retrying until the reaper answers) and holds the connection for the life of this
 * process. A connection can drop while the process lives (an engine's userland port proxy let go
 * of it as containers were removed): the reaper would sweep the live run after its grace. So it
 * is made again at once, as Ryuk's clients do within RYUK_RECONNECTION_TIMEOUT.
 */
export async function holdReaperConnection(address: ReaperAddress): Promise<ReaperConnection> {
  const { host, port, filter, name, logger } = address;
  let closing = false;
  let socket = await connectWhenReady(host, port, filter, Date.now() + READY_TIMEOUT_MS);
  const hold = (held: Socket) => {
    held.setKeepAlive(true, 1000);
    held.on('error', () => undefined);
    held.once('close', () => {
      if (closing) return;
      logger?.warn({ container: name }, 'the connection to the reaper dropped: reconnecting');
      connectWhenReady(host, port, filter, Date.now() + READY_TIMEOUT_MS).then(
        (again) => {
          if (closing) {
            again.destroy();
            return;
          }
          socket = again;
          hold(again);
          logger?.info({ container: name }, 'reconnected to the reaper');
        },
        (error: Error) =>
          logger?.error({ container: name, err: error.message }, 'could not reconnect to the reaper'),
      );
    });
    // The connection must not keep Node alive: its end (with the process) is the signal.
    held.unref();
  };
  hold(socket);
  return {
    async close() {
      closing = true;
      socket.destroy();
    },
  };
}
