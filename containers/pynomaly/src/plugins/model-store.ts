import fp from 'fastify-plugin';
import { ModelStore } from '../services/model-store.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Trained models by id: LRU, then Redis (when the cache is on), then PostgreSQL. */
    models: ModelStore;
  }
}

/** Holds no connection of its own (it uses the pool's and Redis's), so nothing to close. */
export const modelStore = fp(
  async (app) => {
    app.decorate('models', new ModelStore(app.db, app.redis?.command ?? null, app.config.cacheEnabled));
  },
  {
    name: 'pynomaly-model-store',
    dependencies: ['pynomaly-settings', 'pynomaly-database', 'pynomaly-redis'],
  },
);
