import type { Redis } from 'ioredis';

export interface Frame {
  type: string;
  payload: unknown;
}

/** Something that can receive frames: a WebSocket in production, anything in tests. */
export interface FrameSink {
  send(data: string): void;
  readonly readyState: number;
}

const OPEN = 1;
const CHANNEL_PREFIX = 'pynomaly:stream:';

/**
 * Delivers a session's frames to every socket watching it, on any replica: frames go out on a
 * Redis channel per session and every replica's subscriber hands them to its own sockets.
 * When Redis is not usable the frames are delivered to this process's sockets directly, so
 * streaming degrades (single replica) rather than stops. Publishes leave one connection in
 * call order, and Redis keeps that order to subscribers, so scores arrive in scoring order.
 */
export class StreamingHub {
  private readonly sockets = new Map<string, Set<FrameSink>>();
  private readonly listen = () => this.subscriber?.psubscribe(`${CHANNEL_PREFIX}*`).catch(() => undefined);
  private readonly onMessage = (_pattern: string, channel: string, message: string) => {
    this.deliver(channel.slice(CHANNEL_PREFIX.length), message);
  };

  constructor(
    private readonly publisher: Redis | null,
    private readonly subscriber: Redis | null,
  ) {
    if (subscriber) {
      subscriber.on('ready', this.listen);
      if (subscriber.status === 'ready') void this.listen();
      subscriber.on('pmessage', this.onMessage);
    }
  }

  /** With the app's close, before Redis quits: no more deliveries, its listeners off the subscriber. */
  close(): void {
    this.subscriber?.off('ready', this.listen);
    this.subscriber?.off('pmessage', this.onMessage);
    this.sockets.clear();
  }

  watch(sessionId: string, socket: FrameSink): () => void {
    let set = this.sockets.get(sessionId);
    if (!set) {
      set = new Set();
      this.sockets.set(sessionId, set);
    }
    set.add(socket);
    return () => {
      set.delete(socket);
      if (set.size === 0) this.sockets.delete(sessionId);
    };
  }

  watchers(sessionId: string): number {
    return this.sockets.get(sessionId)?.size ?? 0;
  }

  private viaRedis(): boolean {
    return this.publisher?.status === 'ready' && this.subscriber?.status === 'ready';
  }

  /** Sends frames of a session, in order, to every watcher on every replica. */
  async publish(sessionId: string, frames: readonly Frame[]): Promise<void> {
    if (frames.length === 0) return;
    const messages = frames.map((f) => JSON.stringify(f));
    if (this.viaRedis() && this.publisher) {
      try {
        const pipeline = this.publisher.pipeline();
        for (const message of messages) pipeline.publish(`${CHANNEL_PREFIX}${sessionId}`, message);
        const results = await pipeline.exec();
        if (results?.every(([error]) => error === null)) return;
      } catch {
        // fall through to local delivery
      }
    }
    for (const message of messages) this.deliver(sessionId, message);
  }

  private deliver(sessionId: string, message: string): void {
    const set = this.sockets.get(sessionId);
    if (!set) return;
    for (const socket of set) if (socket.readyState === OPEN) socket.send(message);
  }
}
