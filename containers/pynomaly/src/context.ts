import type { FastifyInstance } from 'fastify';
import type { ComputePool } from './compute/pool.ts';
import type { Config } from './config.ts';
import type { Db } from './db/pool.ts';
import type { RedisClients } from './redis.ts';

/**
 * What server.ts (or a test) creates before the app and hands to buildApp: the app owns them
 * from then on, and its close (app.close()) closes them. The rest of the state the plugins in
 * src/plugins/ make from these.
 */
export interface AppResources {
  config: Config;
  db: Db;
  redis: RedisClients | null;
  /** CPU-heavy work (training, cross-validation), off the event loop. */
  compute: ComputePool;
  /** Reported by / and /api/health: SERVICE_VERSION. */
  version: string;
}

/**
 * What the services read: the app's state decorators (src/plugins/) and its logger. The app
 * itself is one; server.ts hands the first admin's creation a smaller one before the app exists.
 */
export type AppContext = Pick<
  FastifyInstance,
  'config' | 'db' | 'redis' | 'models' | 'hub' | 'jobs' | 'compute' | 'log' | 'serviceVersion' | 'startedAt'
>;

/** Who is calling: a real user when auth is on, the built-in anonymous admin when it is off. */
export interface Caller {
  id: string;
  username: string;
  role: 'admin' | 'analyst' | 'viewer';
  /** JWT id when authenticated by a token (logout revokes it). */
  jti?: string;
  tokenExpiresAt?: Date;
  /** Login session of the token: shared by every access and refresh token of one login (logout ends it). */
  sid?: string;
}
