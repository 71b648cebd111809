import fp from 'fastify-plugin';
import type { RedisClients } from '../redis.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Rate-limit counters, model cache and streaming fan-out; null only in unit tests. */
    redis: RedisClients | null;
  }
}

/** Both connections quit with the app's close, after the jobs and the streaming hub that use them. */
export const redisClients = fp<{ redis: RedisClients | null }>(
  async (app, { redis }) => {
    app.decorate('redis', redis);
    app.addHook('onClose', async () => {
      await redis?.close();
    });
  },
  { name: 'pynomaly-redis' },
);
