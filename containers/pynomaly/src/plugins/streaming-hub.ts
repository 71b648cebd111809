import fp from 'fastify-plugin';
import { StreamingHub } from '../services/streaming-hub.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Delivers a session's frames to every socket watching it, on any replica. */
    hub: StreamingHub;
  }
}

/** Stops listening on the Redis subscriber with the app's close, before Redis itself quits. */
export const streamingHub = fp(
  async (app) => {
    const hub = new StreamingHub(app.redis?.command ?? null, app.redis?.subscriber ?? null);
    app.decorate('hub', hub);
    app.addHook('onClose', async () => {
      hub.close();
    });
  },
  { name: 'pynomaly-streaming-hub', dependencies: ['pynomaly-redis'] },
);
