import { describe, expect, test, vi } from 'vitest';
import { buildApp } from '../../src/app.ts';
import { inlinePool } from '../../src/compute/pool.ts';
import { loadConfig } from '../../src/config.ts';
import { createPool } from '../../src/db/pool.ts';
import { createRedis } from '../../src/redis.ts';

// No containers: the pool and Redis point at a closed port; nothing is queried, only closed.
const CLOSED_PORT = { PYNOMALY_DATABASE_URL: 'postgres://nobody:nothing@127.0.0.1:1/none' };

describe('closing the app', () => {
  test('app.close() drains the running job first, then closes the hub, compute, Redis and the pool', async () => {
    const config = loadConfig(CLOSED_PORT);
    const closed: string[] = [];
    const db = createPool(config.databaseUrl);
    const endPool = db.end.bind(db);
    const redis = createRedis('redis://127.0.0.1:1/0');
    const closeRedis = redis.close;
    const app = await buildApp({
      config,
      db: Object.assign(db, {
        end: async () => {
          closed.push('db');
          await endPool();
        },
      }),
      redis: {
        ...redis,
        close: async () => {
          closed.push('redis');
          await closeRedis();
        },
      },
      compute: {
        ...inlinePool(),
        close: async () => {
          closed.push('compute');
        },
      },
      version: 'test',
    });
    const closeHub = app.hub.close.bind(app.hub);
    vi.spyOn(app.hub, 'close').mockImplementation(() => {
      closed.push('hub');
      closeHub();
    });
    let finishJob = () => {};
    app.jobs.enqueue('lane', 'a running job', async () => {
      await new Promise<void>((resolve) => {
        finishJob = resolve;
      });
      closed.push('job');
    });

    const closing = app.close();
    await vi.waitFor(() => expect(app.jobs.isClosed, 'the jobs stop taking work').toBe(true));
    expect(closed, 'nothing the running job uses closes before it ends').toEqual([]);
    finishJob();
    await closing;
    expect(closed).toEqual(['job', 'hub', 'compute', 'redis', 'db']);
  });
});
