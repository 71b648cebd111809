/**
 * Warm stack start: our stack (Testcontainers, the orchestrator's startStack) against its floor,
 * a plain `docker run` of the same three images on a new network, each ready by the same
 * condition (PostgreSQL accepts the login and a query, Redis answers PING, the service's
 * /api/health/ready answers 200), the three started at once, as ours does (the service retries its
 * first connections until PostgreSQL and Redis answer).
 *
 * The floor probes from the host over the published loopback ports every 100 ms. An earlier floor
 * polled with `docker exec pg_isready` / `redis-cli ping` and a `docker inspect` per poll: each of
 * those is a CLI process plus an exec in the container, 0.3-1 s apiece on a loaded machine, so that
 * "floor" came out slower than the stack it was the floor of (ratio 0.66).
 *
 * One discarded pair first (the engine client's first use), then pairs whose order alternates so
 * both sides see the same drift in the machine's load.
 */

import { PG, SERVICE_PORT, serviceEnvironment } from '../src/orchestrator/stack/service-env.ts';
import { freePort, httpOk, postgresReady, redisReady, until } from './lib/probes.ts';
import { must, timed } from './lib/process.ts';
import type { StackStartFigures } from './lib/results.ts';
import { openScope, type Scope } from './lib/scope.ts';
import { round, summary } from './lib/stats.ts';

/** What both sides start: no auth, quiet logs, no coverage. */
const STACK = { authEnabled: false, logLevel: 'warn', seed: 1, coverage: false } as const;
const READY_TIMEOUT_MS = 60_000;

/** The floor: docker run ×3, ready by the same conditions; seconds. */
async function dockerRunStack(scope: Scope, i: number): Promise<number> {
  const net = `pit-${scope.runId.slice(-8)}-floor-${i}`;
  const names = { pg: `${net}-pg`, redis: `${net}-redis`, svc: `${net}-svc` };
  const [pgPort, redisPort, svcPort] = await Promise.all([freePort(), freePort(), freePort()]);
  const started = performance.now();
  try {
    await must('docker', ['network', 'create', ...scope.labelArgs('network'), net]);
    // The same environment the orchestrator gives the service (fresh secrets, the network's aliases).
    const env = serviceEnvironment({
      ...STACK,
      runId: scope.runId,
      suite: 'bench',
      images: scope.images,
      reportsDir: '/tmp',
    });
    await Promise.all([
      must('docker', [
        'run',
        '-d',
        '--name',
        names.pg,
        '--network',
        net,
        '--network-alias',
        'postgres',
        ...scope.labelArgs('postgres'),
        '--tmpfs',
        '/var/lib/postgresql/data',
        '-e',
        `POSTGRES_USER=${PG.user}`,
        '-e',
        `POSTGRES_PASSWORD=${PG.password}`,
        '-e',
        `POSTGRES_DB=${PG.database}`,
        '-p',
        `127.0.0.1:${pgPort}:5432`,
        scope.images.postgres,
      ]),
      must('docker', [
        'run',
        '-d',
        '--name',
        names.redis,
        '--network',
        net,
        '--network-alias',
        'redis',
        ...scope.labelArgs('redis'),
        '-p',
        `127.0.0.1:${redisPort}:6379`,
        scope.images.redis,
      ]),
      must('docker', [
        'run',
        '-d',
        '--name',
        names.svc,
        '--network',
        net,
        ...scope.labelArgs('pynomaly'),
        '-p',
        `127.0.0.1:${svcPort}:${SERVICE_PORT}`,
        ...Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]),
        scope.images.pynomaly,
      ]),
    ]);
    await Promise.all([
      until('postgres', () => postgresReady(pgPort, PG), READY_TIMEOUT_MS),
      until('redis', () => redisReady(redisPort), READY_TIMEOUT_MS),
    ]);
    let polls = 0;
    await until(
      'service',
      async () => {
        if (await httpOk(`http://127.0.0.1:${svcPort}/api/health/ready`)) return true;
        // Fail fast when the service exited; asked every ~2 s, not every poll (a CLI call costs).
        if (++polls % 20 === 0) {
          const running = await timed('docker', ['inspect', '-f', '{{.State.Running}}', names.svc]);
          if (running.output.trim() === 'false')
            throw new Error(
              `the service exited: ${(await timed('docker', ['logs', '--tail', '20', names.svc])).output}`,
            );
        }
        return false;
      },
      READY_TIMEOUT_MS,
    );
    return (performance.now() - started) / 1000;
  } finally {
    await timed('docker', ['rm', '-f', names.pg, names.redis, names.svc]);
    await timed('docker', ['network', 'rm', net]);
  }
}

async function ourStack(scope: Scope, i: number): Promise<number> {
  const t = performance.now();
  const stack = await scope.core.startStack({
    ...STACK,
    runId: scope.runId,
    suite: `bench-${i}`,
    images: scope.images,
    reportsDir: '/tmp',
  });
  const seconds = (performance.now() - t) / 1000;
  await stack.stop();
  return seconds;
}

export async function benchStackStart(
  iterations: number,
  log: (line: string) => void,
): Promise<StackStartFigures> {
  const scope = await openScope('stack-start');
  const ours: number[] = [];
  const floor: number[] = [];
  const warmup = 1;
  try {
    for (let i = 0; i < warmup + iterations; i++) {
      let o: number;
      let f: number;
      if (i % 2 === 0) {
        o = await ourStack(scope, i);
        f = await dockerRunStack(scope, i);
      } else {
        f = await dockerRunStack(scope, i);
        o = await ourStack(scope, i);
      }
      log(`stack-start ${i < warmup ? 'warm-up' : i - warmup + 1}: ours ${round(o)} s, floor ${round(f)} s`);
      if (i < warmup) continue;
      ours.push(o);
      floor.push(f);
    }
  } finally {
    await scope.close();
  }
  const o = summary(ours);
  const f = summary(floor);
  const r = (x: typeof o) => ({ ...x, median: round(x.median), p95: round(x.p95), min: round(x.min) });
  return {
    warmup,
    oursSeconds: r(o),
    floorSeconds: r(f),
    ratioMedian: round(o.median / f.median),
    ratioP95: round(o.p95 / f.p95),
    samples: { ours: ours.map((x) => round(x, 3)), floor: floor.map((x) => round(x, 3)) },
  };
}
