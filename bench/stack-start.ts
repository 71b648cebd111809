/**
 * Warm stack start: our stack (Testcontainers, the orchestrator's startStack) against its floor,
 * a plain `docker run` of the same three images on a network with the same readiness checks
 * (PostgreSQL's health check, Redis answering PING, the service's /api/health/ready), no
 * Testcontainers. Alternated, so both see the same machine load.
 */
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadCore } from '../src/orchestrator/session/core.ts';
import { runLabels } from '../src/orchestrator/stack/labels.ts';
import { PG, SERVICE_PORT, serviceEnvironment } from '../src/orchestrator/stack/service-env.ts';
import { must, timed } from './lib/process.ts';
import { round, summary } from './lib/stats.ts';

type Images = { pynomaly: string; postgres: string; redis: string };

/** What both sides start: no auth, quiet logs, no coverage. */
const STACK = { authEnabled: false, logLevel: 'warn', seed: 1, coverage: false } as const;

async function until(what: string, probe: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`${what} not ready within ${timeoutMs / 1000} s`);
    // Polling interval of the floor's readiness checks, the same as Testcontainers' (100 ms).
    await sleep(100);
  }
}

/** The floor: docker run ×3, ready by the same checks; seconds. */
async function dockerRunStack(images: Images, runId: string): Promise<number> {
  const id = randomBytes(4).toString('hex');
  const net = `pit-bench-${id}`;
  const label = Object.entries(runLabels(runId, 'bench', 'floor')).flatMap(([k, v]) => [
    '--label',
    `${k}=${v}`,
  ]);
  const started = performance.now();
  try {
    await must('docker', ['network', 'create', ...label, net]);
    await Promise.all([
      must('docker', [
        'run',
        '-d',
        '--name',
        `${net}-pg`,
        '--network',
        net,
        '--network-alias',
        'postgres',
        ...label,
        '--tmpfs',
        '/var/lib/postgresql/data',
        '-e',
        `POSTGRES_USER=${PG.user}`,
        '-e',
        `POSTGRES_PASSWORD=${PG.password}`,
        '-e',
        `POSTGRES_DB=${PG.database}`,
        '-p',
        '127.0.0.1::5432',
        images.postgres,
      ]),
      must('docker', [
        'run',
        '-d',
        '--name',
        `${net}-redis`,
        '--network',
        net,
        '--network-alias',
        'redis',
        ...label,
        '-p',
        '127.0.0.1::6379',
        images.redis,
      ]),
    ]);
    await Promise.all([
      until(
        'postgres',
        async () => (await timed('docker', ['exec', `${net}-pg`, 'pg_isready', '-U', PG.user])).code === 0,
      ),
      until('redis', async () =>
        (await timed('docker', ['exec', `${net}-redis`, 'redis-cli', 'ping'])).output.includes('PONG'),
      ),
    ]);
    // The same environment the orchestrator gives the service (fresh secrets, the network's aliases).
    const env = serviceEnvironment({ ...STACK, runId, suite: 'bench', images, reportsDir: '/tmp' });
    await must('docker', [
      'run',
      '-d',
      '--name',
      `${net}-svc`,
      '--network',
      net,
      ...label,
      '-p',
      `127.0.0.1::${SERVICE_PORT}`,
      ...Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]),
      images.pynomaly,
    ]);
    const port = (await must('docker', ['port', `${net}-svc`, `${SERVICE_PORT}/tcp`]))
      .trim()
      .split(':')
      .pop();
    await until('service', async () => {
      const running = await timed('docker', ['inspect', '-f', '{{.State.Running}}', `${net}-svc`]);
      if (running.output.trim() === 'false')
        throw new Error(
          `the service exited: ${(await timed('docker', ['logs', '--tail', '20', `${net}-svc`])).output}`,
        );
      try {
        return (await fetch(`http://127.0.0.1:${port}/api/health/ready`)).status === 200;
      } catch {
        return false;
      }
    });
    return (performance.now() - started) / 1000;
  } finally {
    await timed('docker', ['rm', '-f', `${net}-pg`, `${net}-redis`, `${net}-svc`]);
    await timed('docker', ['network', 'rm', net]);
  }
}

export async function benchStackStart(iterations: number) {
  const core = await loadCore();
  await core.checkEngine();
  const { images } = await core.resolveImages({});
  const runId = `bench${Date.now().toString(36)}`;
  const reaper = await core.startReaper(runId);
  const ours: number[] = [];
  const floor: number[] = [];
  try {
    for (let i = 0; i < iterations; i++) {
      const t = performance.now();
      const stack = await core.startStack({
        ...STACK,
        runId,
        suite: `bench-${i}`,
        images,
        reportsDir: '/tmp',
      });
      ours.push((performance.now() - t) / 1000);
      await stack.stop();
      floor.push(await dockerRunStack(images, runId));
    }
  } finally {
    await core.removeRun(runId).catch(() => undefined);
    await reaper.close();
  }
  const o = summary(ours);
  const f = summary(floor);
  return {
    oursSeconds: { ...o, median: round(o.median), p95: round(o.p95), min: round(o.min) },
    floorSeconds: { ...f, median: round(f.median), p95: round(f.p95), min: round(f.min) },
    ratioMedian: round(o.median / f.median),
    samples: { ours: ours.map((x) => round(x, 3)), floor: floor.map((x) => round(x, 3)) },
  };
}
