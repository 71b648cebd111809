import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { docker } from '../../src/orchestrator/engine/index.ts';
import { resolveNamed } from '../../src/orchestrator/images/index.ts';
import { type RunningStack, StackStartError, startStack } from '../../src/orchestrator/stack/index.ts';
import type { StackOptions } from '../../src/orchestrator/stack/types.ts';
import { definitionsWithStub, resourcesOf, testRunId } from './core-helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'pit-core-stack-'));
let images: StackOptions['images'];

function options(runId: string, overrides: Partial<StackOptions> = {}): StackOptions {
  return {
    runId,
    suite: 'core',
    images,
    authEnabled: true,
    logLevel: 'debug',
    seed: 1234,
    coverage: false,
    reportsDir: dir,
    ...overrides,
  };
}

beforeAll(async () => {
  const { requested } = await resolveNamed(['postgres', 'redis', 'stub-service'], {
    definitions: definitionsWithStub(),
  });
  const [postgres, redis, pynomaly] = requested.map((r) => r.ref);
  images = { postgres, redis, pynomaly };
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a stack on the real engine', () => {
  const runId = testRunId('stk');
  let stack: RunningStack;
  const timings: Record<string, number> = {};

  beforeAll(async () => {
    const started = Date.now();
    stack = await startStack(options(runId, { coverage: true, extraEnv: { PYNOMALY_EXTRA: 'x' } }));
    timings.startMs = Date.now() - started;
  });

  afterAll(async () => {
    await stack?.stop();
    console.log(`stack timings: ${JSON.stringify(timings)}`);
  });

  test('endpoints answer: HTTP ready, a PostgreSQL query, a Redis PING', async () => {
    const { endpoints } = stack;
    expect(endpoints.httpUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const ready = await fetch(`${endpoints.httpUrl}/api/health/ready`);
    expect(ready.status).toBe(200);

    const client = new pg.Client({ connectionString: endpoints.postgresUrl });
    await client.connect();
    try {
      const { rows } = await client.query('select current_database() as db, 1 + 1 as two');
      expect(rows[0]).toEqual({ db: 'db', two: 2 });
    } finally {
      await client.end();
    }

    const redis = new Redis(endpoints.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
    await redis.connect();
    try {
      expect(await redis.ping()).toBe('PONG');
    } finally {
      redis.disconnect();
    }
  });

  test('the service gets its environment (fresh secrets, network aliases, extras, coverage)', async () => {
    const env = (await (await fetch(`${stack.endpoints.httpUrl}/env`)).json()) as Record<string, string>;
    expect(env).toMatchObject({
      PYNOMALY_ENVIRONMENT: 'testing',
      PYNOMALY_AUTH_ENABLED: 'true',
      PYNOMALY_LOG_LEVEL: 'debug',
      PYNOMALY_DATABASE_URL: 'postgres://user:pass@postgres:5432/db',
      PYNOMALY_REDIS_URL: 'redis://redis:6379',
      PYNOMALY_RANDOM_SEED: '1234',
      PYNOMALY_EXTRA: 'x',
      NODE_V8_COVERAGE: '/tmp/coverage',
    });
    expect(env.PYNOMALY_SECRET_KEY).toBe(stack.endpoints.serviceEnv.PYNOMALY_SECRET_KEY);
    expect(env.PYNOMALY_SECRET_KEY.length).toBeGreaterThanOrEqual(64);
    expect(env.PYNOMALY_ADMIN_PASSWORD).toBe(stack.endpoints.admin.password);
  });

  test("containers and the network carry the run labels and pit-<run>-<suite>-<role> names; the stack's network is the containers' only one", async () => {
    const engine = await docker();
    const filters = { label: [`pynomaly-it.run=${runId}`] };
    const containers = await engine.listContainers({ all: true, filters });
    expect(containers.map((c) => c.Names[0].slice(1)).sort()).toEqual(
      Object.values(stack.endpoints.containers).sort(),
    );
    expect(stack.endpoints.containers.pynomaly).toBe(`pit-${runId}-core-pynomaly`);
    for (const c of containers)
      expect(c.Labels).toMatchObject({ 'pynomaly-it.suite': 'core', 'pynomaly-it.pid': String(process.pid) });
    const networks = await engine.listNetworks({ filters });
    expect(networks).toHaveLength(1);
    expect(networks[0].Labels?.['pynomaly-it.owner']).toMatch(/.+@.+/);
    for (const c of containers)
      expect(
        Object.keys(c.NetworkSettings?.Networks ?? {}),
        `${c.Names[0]} is on the stack's network only, not also on the engine's default bridge`,
      ).toEqual([networks[0].Name]);
  });

  test("a trial start runs the service image on the stack's own network, with the extra settings", async () => {
    const trial = await stack.trialStart({ STUB_PROBE_DEPENDENCIES: '1' }, 30_000);
    expect(trial.log, 'the trial reaches postgres and redis by their aliases').toContain(
      'stub: dependencies reachable',
    );
    expect(trial.exitCode).toBe(0);
  });

  test('logs: saved per container, and the service tail', async () => {
    const files = await stack.saveLogs(join(dir, 'logs'));
    expect(files.map((f) => f.split('/').pop()).sort()).toEqual([
      'postgres.log',
      'pynomaly.log',
      'redis.log',
    ]);
    expect(readFileSync(join(dir, 'logs/pynomaly.log'), 'utf8')).toContain('stub: listening');
    expect(readFileSync(join(dir, 'logs/postgres.log'), 'utf8')).toContain('ready to accept connections');
    expect(await stack.serviceLogTail(5)).toContain('stub: listening');
  });

  test('coverage is copied out after a graceful stop', async () => {
    const started = Date.now();
    const out = await stack.collectCoverage(join(dir, 'coverage'));
    timings.coverageMs = Date.now() - started;
    expect(out).toBe(join(dir, 'coverage'));
    expect(readdirSync(out as string).some((f) => /^coverage-.*\.json$/.test(f))).toBe(true);
  });

  test('stop() removes every container and the network, and may be called again', async () => {
    const started = Date.now();
    await stack.stop();
    timings.stopMs = Date.now() - started;
    expect(await resourcesOf(runId)).toEqual([]);
    await expect(stack.stop()).resolves.toBeUndefined();
    expect(timings.stopMs).toBeLessThan(10_000);
  });
});

describe('a stack whose service does not start', () => {
  test('the error names the container with its last log lines, and nothing is left', async () => {
    const runId = testRunId('stkf');
    const error = await startStack(
      options(runId, { extraEnv: { STUB_FAIL: '1' }, startupTimeoutMs: 20_000 }),
    ).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StackStartError);
    expect((error as StackStartError).role).toBe('pynomaly');
    expect((error as Error).message).toContain(`pit-${runId}-core-pynomaly`);
    expect((error as Error).message).toContain('stub: failing on purpose');
    expect(await resourcesOf(runId)).toEqual([]);
    expect(existsSync(dir)).toBe(true);
  });
});
