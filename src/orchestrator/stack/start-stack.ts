import { spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type Dockerode from 'dockerode';
import {
  type GenericContainer,
  StartedNetwork,
  type StartedTestContainer,
  Wait,
  type WaitStrategy,
} from 'testcontainers';
import type { StackEndpoints } from '../../shared/stack-endpoints.ts';
import { dockerodeOf, engineClient } from '../engine/client.ts';
import { engineReach } from '../engine/reach.ts';
import { containerLog, LogTail } from './container-logs.ts';
import { PynomalyContainer, StackPostgreSqlContainer, StackRedisContainer } from './containers.ts';
import { StackStartError } from './errors.ts';
import { containerName, runLabels } from './labels.ts';
import { addressOn, httpOnNetwork, tcpOnNetwork } from './network-wait.ts';
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
const READY_PATH = '/api/health/ready';

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
 * A runner in a container of the engine joins the network and reaches the containers at their
 * addresses and internal ports (engine/reach.ts); otherwise at their published ports.
 */
export async function startStack(options: StackOptions): Promise<RunningStack> {
  const { runId, suite } = options;
  const client = await engineClient();
  const docker: Dockerode = dockerodeOf(client);
  const reach = await engineReach();
  /** Our own container, when the runner joins the stack's network. */
  const joined = reach.mode === 'network' ? reach.self : undefined;
  const names = Object.fromEntries(ROLES.map((r) => [r, containerName(runId, suite, r)])) as Record<
    Role,
    string
  >;
  const networkName = containerName(runId, suite, 'net');
  /** Joined: ports published on loopback only (unused) and readiness checked on the network. */
  const onNetwork = <C extends { withPortsOnLoopback(): C; withWaitStrategy(w: WaitStrategy): C }>(
    container: C,
    wait?: () => WaitStrategy,
  ): C => {
    if (!joined) return container;
    const bound = container.withPortsOnLoopback();
    return wait ? bound.withWaitStrategy(wait()) : bound;
  };
  const tails = Object.fromEntries(ROLES.map((r) => [r, new LogTail()])) as Record<Role, LogTail>;

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      await Promise.allSettled(ROLES.map((r) => forceRemoveContainer(docker, names[r])));
      // Our own endpoint would keep the network in use.
      if (joined)
        await docker
          .getNetwork(networkName)
          .disconnect({ Container: joined, Force: true })
          .catch(() => undefined);
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
    if (joined) await docker.getNetwork(networkName).connect({ Container: joined });

    const dependencies = await Promise.allSettled([
      startRole(
        'postgres',
        names.postgres,
        tails.postgres,
        onNetwork(new StackPostgreSqlContainer(options.images.postgres), () =>
          Wait.forAll([Wait.forHealthCheck(), tcpOnNetwork(networkName, 5432)]),
        )
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
        onNetwork(new StackRedisContainer(options.images.redis), () =>
          Wait.forAll([Wait.forLogMessage('Ready to accept connections'), tcpOnNetwork(networkName, 6379)]),
        )
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
      onNetwork(new PynomalyContainer(options.images.pynomaly))
        .withName(names.pynomaly)
        .withLabels(runLabels(runId, suite, 'pynomaly'))
        .withNetwork(network)
        .withNetworkAliases('pynomaly')
        .withExposedPorts(SERVICE_PORT)
        .withEnvironment(options.coverage ? { ...env, NODE_V8_COVERAGE: COVERAGE_DIR_IN_CONTAINER } : env)
        .withLogConsumer(tails.pynomaly.consume)
        .withWaitStrategy(
          // Fail fast when the service exits instead of waiting out the timeout.
          joined
            ? httpOnNetwork(networkName, SERVICE_PORT, READY_PATH, 200)
            : Wait.forHttp(READY_PATH, SERVICE_PORT, { abortOnContainerExit: true }).forStatusCode(200),
        )
        .withStartupTimeout(options.startupTimeoutMs ?? DEFAULT_SERVICE_TIMEOUT_MS),
      options.cpus,
    );
  } catch (error) {
    await stop();
    throw error;
  }

  /** host:port where the runner reaches a started container's port. */
  const at = (container: StartedTestContainer, port: number) =>
    joined
      ? `${container.getIpAddress(networkName)}:${port}`
      : `${hostOf(container)}:${container.getMappedPort(port)}`;
  /** The containers' addresses on the joined network: the suites may send load there too. */
  const ownAddresses = async () =>
    joined
      ? {
          ownAddresses: (
            await Promise.all(ROLES.map((r) => addressOn(docker.getContainer(names[r]), networkName)))
          ).filter((a): a is string => a !== undefined),
        }
      : {};
  // Current endpoints: a restart of the service or of Redis may move a mapped port (or an address).
  let endpoints: StackEndpoints = {
    runId,
    suite,
    httpUrl: `http://${at(service, SERVICE_PORT)}`,
    wsUrl: `ws://${at(service, SERVICE_PORT)}`,
    postgresUrl: `postgres://${PG.user}:${PG.password}@${at(postgres, 5432)}/${PG.database}`,
    redisUrl: `redis://${at(redis, 6379)}`,
    // What the service was started with: a suite's serviceEnv may turn auth on (security).
    authEnabled: env.PYNOMALY_AUTH_ENABLED === 'true',
    admin: { username: env.PYNOMALY_ADMIN_USERNAME, password: env.PYNOMALY_ADMIN_PASSWORD },
    seed: options.seed,
    serviceEnv: env,
    containers: { ...names },
    servicePort: SERVICE_PORT,
    reportsDir: options.reportsDir,
    ...(await ownAddresses()),
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
      const where = at(service, SERVICE_PORT);
      endpoints = {
        ...endpoints,
        httpUrl: `http://${where}`,
        wsUrl: `ws://${where}`,
        ...(await ownAddresses()),
      };
      return endpoints;
    },
    async stopRedis() {
      // Stopped, not removed (testcontainers' stop removes): the outage ends with startRedis.
      await docker.getContainer(names.redis).stop({ t: 2 });
    },
    async startRedis() {
      const container = docker.getContainer(names.redis);
      await container.start();
      const where = joined
        ? `${await addressOn(container, networkName)}:6379`
        : `${hostOf(redis)}:${await hostPort(docker, names.redis, 6379)}`;
      endpoints = { ...endpoints, redisUrl: `redis://${where}`, ...(await ownAddresses()) };
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
