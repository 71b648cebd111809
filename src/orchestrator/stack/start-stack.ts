import { spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type Dockerode from 'dockerode';
import { type GenericContainer, StartedNetwork, type StartedTestContainer, Wait } from 'testcontainers';
import type { StackEndpoints } from '../../shared/stack-endpoints.ts';
import { dockerodeOf, engineClient } from '../engine/client.ts';
import { containerLog, LogTail } from './container-logs.ts';
import { PynomalyContainer, StackPostgreSqlContainer, StackRedisContainer } from './containers.ts';
import { StackStartError } from './errors.ts';
import { containerName, runLabels } from './labels.ts';
import { containerMemoryBytes, hostPort, trialStartOf } from './operations.ts';
import { forceRemoveContainer, removeNetwork } from './remove.ts';
import { COVERAGE_DIR_IN_CONTAINER, PG, SERVICE_PORT, serviceEnvironment } from './service-env.ts';
import type { RunningStack, StackOptions } from './types.ts';

type Role = 'postgres' | 'redis' | 'pynomaly';
const ROLES: Role[] = ['postgres', 'redis', 'pynomaly'];
const DEPENDENCY_TIMEOUT_MS = 60_000;
const DEFAULT_SERVICE_TIMEOUT_MS = 60_000;
/** Graceful stop for coverage: Node writes NODE_V8_COVERAGE on a clean exit. */
const GRACEFUL_STOP_S = 15;

/** Testcontainers says "localhost"; it may resolve to ::1 first, the endpoints promise 127.0.0.1. */
function hostOf(container: StartedTestContainer): string {
  const host = container.getHost();
  return host === 'localhost' ? '127.0.0.1' : host;
}

function firstLine(error: unknown): string {
  return ((error as Error)?.message ?? String(error)).split('\n')[0];
}

async function startRole(
  role: Role,
  name: string,
  tail: LogTail,
  container: GenericContainer,
  cpus: number | undefined,
) {
  try {
    // --cpus: the same quota on every container of the stack, to replay CI's load on a laptop.
    return await (cpus === undefined ? container : container.withResourcesQuota({ cpu: cpus })).start();
  } catch (error) {
    throw new StackStartError(role, name, firstLine(error), tail.text(30));
  }
}

/** Extracts a tar stream into dir, dropping the archive's top folder. */
function untar(stream: NodeJS.ReadableStream, dir: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const tar = spawn('tar', ['-x', '--strip-components=1', '-C', dir], {
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    let stderr = '';
    tar.stderr.on('data', (d) => {
      stderr += d;
    });
    tar.on('error', reject);
    tar.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`tar exited ${code}: ${stderr.trim()}`)),
    );
    stream.pipe(tar.stdin);
  });
}

/**
 * One stack: a new labelled network; PostgreSQL and Redis (concurrently); then the service,
 * ready when /api/health/ready answers 200. On any failure everything started is removed.
 */
export async function startStack(options: StackOptions): Promise<RunningStack> {
  const { runId, suite } = options;
  const client = await engineClient();
  const docker: Dockerode = dockerodeOf(client);
  const names = Object.fromEntries(ROLES.map((r) => [r, containerName(runId, suite, r)])) as Record<
    Role,
    string
  >;
  const networkName = containerName(runId, suite, 'net');
  const tails = Object.fromEntries(ROLES.map((r) => [r, new LogTail()])) as Record<Role, LogTail>;

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      await Promise.allSettled(ROLES.map((r) => forceRemoveContainer(docker, names[r])));
      await removeNetwork(docker, networkName).catch(() => undefined);
    })();
    return stopping;
  };

  const env = serviceEnvironment(options);
  let postgres: StartedTestContainer;
  let redis: StartedTestContainer;
  let service: StartedTestContainer;
  try {
    // Testcontainers' `new Network()` cannot carry labels, and cleanup finds networks by label.
    const created = await client.network.create({
      Name: networkName,
      Driver: 'bridge',
      CheckDuplicate: true,
      Labels: runLabels(runId, suite, 'network'),
    });
    const network = new StartedNetwork(client, networkName, created);

    const dependencies = await Promise.allSettled([
      startRole(
        'postgres',
        names.postgres,
        tails.postgres,
        new StackPostgreSqlContainer(options.images.postgres)
          .withName(names.postgres)
          .withLabels(runLabels(runId, suite, 'postgres'))
          .withNetwork(network)
          .withNetworkAliases('postgres')
          .withDatabase(PG.database)
          .withUsername(PG.user)
          .withPassword(PG.password)
          .withTmpFs({ '/var/lib/postgresql/data': 'rw' })
          .withLogConsumer(tails.postgres.consume)
          .withStartupTimeout(DEPENDENCY_TIMEOUT_MS),
        options.cpus,
      ),
      startRole(
        'redis',
        names.redis,
        tails.redis,
        new StackRedisContainer(options.images.redis)
          .withName(names.redis)
          .withLabels(runLabels(runId, suite, 'redis'))
          .withNetwork(network)
          .withNetworkAliases('redis')
          .withLogConsumer(tails.redis.consume)
          .withStartupTimeout(DEPENDENCY_TIMEOUT_MS),
        options.cpus,
      ),
    ]);
    const failed = dependencies.find((d) => d.status === 'rejected');
    if (failed) throw failed.reason;
    [postgres, redis] = dependencies.map((d) => (d as PromiseFulfilledResult<StartedTestContainer>).value);

    service = await startRole(
      'pynomaly',
      names.pynomaly,
      tails.pynomaly,
      new PynomalyContainer(options.images.pynomaly)
        .withName(names.pynomaly)
        .withLabels(runLabels(runId, suite, 'pynomaly'))
        .withNetwork(network)
        .withNetworkAliases('pynomaly')
        .withExposedPorts(SERVICE_PORT)
        .withEnvironment(options.coverage ? { ...env, NODE_V8_COVERAGE: COVERAGE_DIR_IN_CONTAINER } : env)
        .withLogConsumer(tails.pynomaly.consume)
        .withWaitStrategy(
          // Fail fast when the service exits instead of waiting out the timeout.
          Wait.forHttp('/api/health/ready', SERVICE_PORT, { abortOnContainerExit: true }).forStatusCode(200),
        )
        .withStartupTimeout(options.startupTimeoutMs ?? DEFAULT_SERVICE_TIMEOUT_MS),
      options.cpus,
    );
  } catch (error) {
    await stop();
    throw error;
  }

  const host = hostOf(service);
  const httpPort = service.getMappedPort(SERVICE_PORT);
  // Current endpoints: a restart of the service or of Redis may move a mapped port.
  let endpoints: StackEndpoints = {
    runId,
    suite,
    httpUrl: `http://${host}:${httpPort}`,
    wsUrl: `ws://${host}:${httpPort}`,
    postgresUrl: `postgres://${PG.user}:${PG.password}@${hostOf(postgres)}:${postgres.getMappedPort(5432)}/${PG.database}`,
    redisUrl: `redis://${hostOf(redis)}:${redis.getMappedPort(6379)}`,
    // What the service was started with: a suite's serviceEnv may turn auth on (security).
    authEnabled: env.PYNOMALY_AUTH_ENABLED === 'true',
    admin: { username: env.PYNOMALY_ADMIN_USERNAME, password: env.PYNOMALY_ADMIN_PASSWORD },
    seed: options.seed,
    serviceEnv: env,
    containers: { ...names },
    servicePort: SERVICE_PORT,
    reportsDir: options.reportsDir,
  };

  /** The engine's full log; the in-memory tail when the container is already gone. */
  const logOf = (role: Role, lines?: number) =>
    containerLog(docker.getContainer(names[role]), lines).catch(() => tails[role].text(lines));

  return {
    get endpoints() {
      return endpoints;
    },
    async restartService() {
      // testcontainers re-reads the mapped port and waits for readiness again.
      await service.restart({ timeout: 10_000 });
      const port = service.getMappedPort(SERVICE_PORT);
      endpoints = { ...endpoints, httpUrl: `http://${host}:${port}`, wsUrl: `ws://${host}:${port}` };
      return endpoints;
    },
    async stopRedis() {
      // Stopped, not removed (testcontainers' stop removes): the outage ends with startRedis.
      await docker.getContainer(names.redis).stop({ t: 2 });
    },
    async startRedis() {
      await docker.getContainer(names.redis).start();
      const port = await hostPort(docker, names.redis, 6379);
      endpoints = { ...endpoints, redisUrl: `redis://${hostOf(redis)}:${port}` };
      return endpoints;
    },
    serviceMemoryBytes: () => containerMemoryBytes(docker, names.pynomaly),
    trialStart: (extra, timeoutMs) =>
      trialStartOf(docker, { runId, suite, serviceContainer: names.pynomaly }, extra, timeoutMs),
    async saveLogs(dir) {
      await mkdir(dir, { recursive: true });
      return Promise.all(
        ROLES.map(async (role) => {
          const path = join(dir, `${role}.log`);
          await writeFile(path, await logOf(role));
          return path;
        }),
      );
    },
    serviceLogTail: (lines) => logOf('pynomaly', lines),
    async collectCoverage(dir) {
      if (!options.coverage) return undefined;
      const container = docker.getContainer(names.pynomaly);
      try {
        await container.stop({ t: GRACEFUL_STOP_S });
      } catch (error) {
        // 304: already stopped (a suite stopped it); anything else: no coverage to collect.
        if ((error as { statusCode?: number }).statusCode !== 304) return undefined;
      }
      try {
        const archive = await container.getArchive({ path: COVERAGE_DIR_IN_CONTAINER });
        await mkdir(dir, { recursive: true });
        await untar(archive, dir);
        return dir;
      } catch {
        return undefined;
      }
    },
    stop,
  };
}
