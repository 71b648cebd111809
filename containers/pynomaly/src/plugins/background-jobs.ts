import fp from 'fastify-plugin';
import { BackgroundJobs } from '../services/background-jobs.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Experiments and AutoML jobs, one at a time per lane, off the request. */
    jobs: BackgroundJobs;
  }
}

/** How long the app's close waits for running jobs (their state is in PostgreSQL either way). */
const DRAIN_TIMEOUT_MS = 5_000;

/**
 * Registered after the state the jobs use, so its onClose runs before theirs (LIFO): once the
 * server stopped taking requests the jobs drain, then compute, Redis and the pool close.
 */
export const backgroundJobs = fp(
  async (app) => {
    const jobs = new BackgroundJobs((error, name) =>
      app.log.error({ err: error, job: name }, 'background job failed'),
    );
    app.decorate('jobs', jobs);
    app.addHook('onClose', async () => {
      await jobs.drain(DRAIN_TIMEOUT_MS);
    });
  },
  { name: 'pynomaly-background-jobs' },
);
