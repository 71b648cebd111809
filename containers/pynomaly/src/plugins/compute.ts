import fp from 'fastify-plugin';
import type { ComputePool } from '../compute/pool.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** CPU-heavy work (training, cross-validation), off the event loop. */
    compute: ComputePool;
  }
}

/** The worker threads end with the app's close, once the drained jobs no longer need them. */
export const computePool = fp<{ compute: ComputePool }>(
  async (app, { compute }) => {
    app.decorate('compute', compute);
    app.addHook('onClose', async () => {
      await compute.close();
    });
  },
  { name: 'pynomaly-compute' },
);
