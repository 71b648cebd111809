import { Redis } from 'ioredis';

/**
 * Redis connections that fail fast when Redis is down (no offline queue, one retry per
 * command) and keep reconnecting in the background with a bounded delay, so the service
 * recovers by itself when Redis comes back.
 */
export interface RedisClients {
  /** Commands: rate-limit counters, model cache, publishing. */
  command: Redis;
  /** Subscriptions only (a subscribed connection cannot run other commands). */
  subscriber: Redis;
  isReady(): boolean;
  close(): Promise<void>;
}

function connection(url: string, name: string): Redis {
  const redis = new Redis(url, {
    connectionName: name,
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    commandTimeout: 2_000,
    retryStrategy: (times) => Math.min(times * 200, 2_000),
  });
  // Errors are reported through health; an unhandled 'error' event would crash the process.
  redis.on('error', () => {});
  return redis;
}

export function createRedis(url: string): RedisClients {
  const command = connection(url, 'pynomaly-command');
  const subscriber = connection(url, 'pynomaly-subscriber');
  // The first connect may fail (Redis not up yet); retryStrategy keeps trying after that.
  command.connect().catch(() => {});
  subscriber.connect().catch(() => {});
  return {
    command,
    subscriber,
    isReady: () => command.status === 'ready',
    async close() {
      await Promise.allSettled([command.quit(), subscriber.quit()]);
      command.disconnect();
      subscriber.disconnect();
    },
  };
}

/** PING with a short timeout: 'healthy' or the reason it is not. */
export async function pingRedis(redis: Redis, timeoutMs = 1_000): Promise<{ ok: boolean; error?: string }> {
  if (redis.status !== 'ready') return { ok: false, error: `connection ${redis.status}` };
  try {
    await Promise.race([
      redis.ping(),
      new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), timeoutMs)),
    ]);
    return { ok: true };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
}
