import fp from 'fastify-plugin';
import type { Config } from '../config.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Every PYNOMALY_* setting, parsed once (src/config.ts). */
    config: Config;
    /** Reported by / and /api/health (`version` is fastify's own). */
    serviceVersion: string;
    /** When the app was built. */
    startedAt: Date;
  }
}

/** The settings every plugin and route reads; nothing to close. */
export const settings = fp<{ config: Config; version: string }>(
  async (app, { config, version }) => {
    app.decorate('config', config);
    app.decorate('serviceVersion', version);
    app.decorate('startedAt', new Date());
  },
  { name: 'pynomaly-settings' },
);
