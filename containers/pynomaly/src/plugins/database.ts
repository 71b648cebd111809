import fp from 'fastify-plugin';
import type { Db } from '../db/pool.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** The PostgreSQL pool (already migrated by server.ts). */
    db: Db;
  }
}

/** The pool is ended by the app's close, after every plugin that may still query it (LIFO). */
export const database = fp<{ db: Db }>(
  async (app, { db }) => {
    app.decorate('db', db);
    app.addHook('onClose', async () => {
      await db.end();
    });
  },
  { name: 'pynomaly-database' },
);
