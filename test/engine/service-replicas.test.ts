/**
 * The reference service with two replicas on one PostgreSQL and one Redis, on the real engine:
 * what a single-replica stack cannot show. Replicas starting together on a fresh database
 * migrate it once; scores one replica computes reach WebSocket clients of the other (Redis
 * pub/sub); the rate limit is one counter across replicas (Redis).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { docker } from '../../src/orchestrator/engine/index.ts';
import { resolveImages } from '../../src/orchestrator/images/index.ts';
import { type RunningStack, startStack } from '../../src/orchestrator/stack/index.ts';
import { runLabels } from '../../src/orchestrator/stack/labels.ts';
import {
  PynomalyContainer,
  type StartedPynomalyContainer,
} from '../../src/orchestrator/stack/pynomaly-container.ts';
import type { StackEndpoints } from '../../src/shared/stack-endpoints.ts';
import { ApiClient } from '../../src/suites/fixtures/http-client.ts';
import { IntegrationHelper } from '../../src/suites/fixtures/integration-helper.ts';
import { FEATURES, featureRows, sampleDataset } from '../../src/suites/fixtures/sample-data.ts';
import { LiveSocket } from '../../src/suites/fixtures/ws-client.ts';
import { resourcesOf, testRunId } from './core-helpers.ts';

const SUITE = 'replicas';
const dir = mkdtempSync(join(tmpdir(), 'pit-replicas-'));
const runId = testRunId('rep');
let stack: RunningStack;
let replicas: StartedPynomalyContainer[] = [];
let freshDatabaseUrl: string;

const endpointsOf = (c: StartedPynomalyContainer): StackEndpoints => ({
  ...stack.endpoints,
  httpUrl: c.getHttpUrl(),
  wsUrl: c.getWsUrl(),
});

beforeAll(async () => {
  const { images } = await resolveImages();
  stack = await startStack({
    runId,
    suite: SUITE,
    images,
    authEnabled: false,
    logLevel: 'warn',
    seed: 7,
    coverage: false,
    reportsDir: dir,
  });
  // The stack's own service already migrated its database: the replicas get a fresh one.
  const admin = new pg.Client({ connectionString: stack.endpoints.postgresUrl });
  await admin.connect();
  await admin.query('CREATE DATABASE replicas');
  await admin.end();
  const url = new URL(stack.endpoints.postgresUrl);
  url.pathname = '/replicas';
  freshDatabaseUrl = url.toString();

  // Same image, environment and network as the stack's service; labelled with the run.
  const info = await (await docker()).getContainer(stack.endpoints.containers.pynomaly).inspect();
  // The stack's own network (aliases postgres, redis), not the engine's default bridge.
  const network = Object.keys(info.NetworkSettings.Networks).find((n) => n !== 'bridge') ?? '';
  const env = Object.fromEntries(
    (info.Config.Env ?? []).map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]),
  );
  replicas = await Promise.all(
    [1, 2].map((i) =>
      new PynomalyContainer(images.pynomaly)
        .withName(`pit-${runId}-replica-${i}`)
        .withLabels(runLabels(runId, SUITE, 'pynomaly'))
        .withNetworkMode(network)
        .withEnvironment(env)
        .withDatabaseUrl(env.PYNOMALY_DATABASE_URL.replace(/\/[^/]+$/, '/replicas'))
        .withStartupTimeout(120_000)
        .start(),
    ),
  );
});

afterAll(async () => {
  await Promise.allSettled(replicas.map((r) => r.stop({ timeout: 5_000 })));
  await stack?.stop();
  rmSync(dir, { recursive: true, force: true });
  expect(await resourcesOf(runId), 'nothing of the run may remain').toEqual([]);
});

describe('two replicas of the service', () => {
  test('starting together on a fresh database, both are ready and each migration ran once', async () => {
    const db = new pg.Client({ connectionString: freshDatabaseUrl });
    await db.connect();
    try {
      const { rows } = await db.query<{ version: number; n: number }>(
        'SELECT version, count(*)::int AS n FROM schema_migrations GROUP BY version ORDER BY version',
      );
      expect(rows.length, 'the schema must be migrated').toBeGreaterThan(0);
      expect(
        rows.filter((r) => r.n !== 1),
        'no migration may be recorded twice',
      ).toEqual([]);
    } finally {
      await db.end();
    }
    for (const replica of replicas)
      expect((await fetch(`${replica.getHttpUrl()}/api/health`)).status).toBe(200);
  });

  test('scores computed by one replica reach a WebSocket client of the other', async () => {
    const [a, b] = replicas;
    const helper = new IntegrationHelper(endpointsOf(a), new ApiClient(a.getHttpUrl()));
    try {
      const { detector } = await helper.trainedDetector({ algorithm: 'zscore' });
      const session = await helper.startSession(detector.id);
      const live = await LiveSocket.open(endpointsOf(b).wsUrl, session.id, new ApiClient(b.getHttpUrl()));
      try {
        await live.waitForCount('connected', 1, 'connected frame from replica b');
        const scored = [];
        for (const point of featureRows(sampleDataset(3, 5), FEATURES))
          scored.push(await helper.processPoint(session.id, point));
        const frames = await live.waitForCount('score', 5, 'score frames on replica b for points sent to a');
        expect(frames.map((f) => f.payload.anomaly_score)).toEqual(scored.map((s) => s.anomaly_score));
      } finally {
        await live.close();
      }
    } finally {
      expect(await helper.cleanup()).toEqual([]);
    }
  }, 60_000);

  test('the rate limit is one counter across replicas', async () => {
    const remaining = async (c: StartedPynomalyContainer) =>
      Number((await fetch(`${c.getHttpUrl()}/api/datasets?limit=1`)).headers.get('x-ratelimit-remaining'));
    const [a, b] = replicas;
    // A new minute window may open between two probes: then one more try.
    for (let attempt = 1; ; attempt++) {
      const first = await remaining(a);
      const second = await remaining(b);
      if (second > first && attempt === 1) continue;
      expect(second, 'a request to replica b must count against the budget spent on a').toBe(first - 1);
      break;
    }
  });
});
