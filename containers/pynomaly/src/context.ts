import type { FastifyBaseLogger } from 'fastify';
import type { ComputePool } from './compute/pool.ts';
import type { Config } from './config.ts';
import type { Db } from './db/pool.ts';
import type { RedisClients } from './redis.ts';
import type { BackgroundJobs } from './services/background-jobs.ts';
import type { ModelStore } from './services/model-store.ts';
import type { StreamingHub } from './services/streaming-hub.ts';

/** Everything the routes share: built once in server.ts (or a test) and handed to buildApp. */
export interface AppContext {
  config: Config;
  db: Db;
  redis: RedisClients | null;
  models: ModelStore;
  hub: StreamingHub;
  jobs: BackgroundJobs;
  /** CPU-heavy work (training, cross-validation), off the event loop. */
  compute: ComputePool;
  log: FastifyBaseLogger;
  version: string;
  startedAt: Date;
}

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
