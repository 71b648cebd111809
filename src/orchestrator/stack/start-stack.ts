import { spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { StartedPostgreSqlContainer } from '@testcontainers/postgresql';
import type { StartedRedisContainer } from '@testcontainers/redis';
import type Dockerode from 'dockerode';
import type { GenericContainer, StartedTestContainer, WaitStrategy } from 'testcontainers';
import type { StackEndpoints } from '../../shared/stack-endpoints.ts';
import { dockerodeOf, engineClient } from '../engine/client.ts';
import { engineReach } from '../engine/reach.ts';
import { testcontainersReaper } from '../engine/testcontainers-reaper.ts';
import { containerLog, LogTail } from './container-logs.ts';
import { postgresReady, StackPostgreSqlContainer, StackRedisContainer } from './containers.ts';
import { StackStartError } from './errors.ts';
import { containerName, runLabels } from './labels.ts';
import { httpOnNetwork, postgresAnswering, redisPing } from './network-wait.ts';
import { containerMemoryBytes, trialStartOf } from './operations.ts';
import { PynomalyContainer, READY_PATH, type StartedPynomalyContainer } from './pynomaly-container.ts';
import { reachedUrl } from './reached-url.ts';
import { forceRemoveContainer, removeNetwork } from './remove.ts';
import { COVERAGE_DIR_IN_CONTAINER, PG, SERVICE_PORT, serviceEnvironment } from './service-env.ts';
import type { RunningStack, StackOptions } from './types.ts';

type Role = 'postgres' | 'redis' | 'pynomaly';
const ROLES: Role[] = ['postgres', 'redis', 'pynomaly'];
const DEPENDENCY_TIMEOUT_MS = 60_000;
const DEFAULT_SERVICE_TIMEOUT_MS = 60_000;
/** Graceful stop for coverage: Node writes NODE_V8_COVERAGE on a clean exit. */
const GRACEFUL_STOP_MS = 15_000;
const PORTS: Record<Role, number> = { postgres: 5432, redis: 6379, pynomaly: SERVICE_PORT };

function firstLine(error: unknown): string {
  return ((error as Error)?.message ?? String(error)).split('\n')[0];
}

async function startRole<C extends GenericContainer>(
  role: Role,
  name: string,
  tail: LogTail,
  container: C,
  cpus: number | undefined,
): Promise<Awaited<ReturnType<C['start']>>> {
  try {
    // --cpus: the same quota on every container of the stack, to replay CI's load on a laptop.
    const quota = cpus === undefined ? container : container.withResourcesQuota({ cpu: cpus });
    return (await quota.start()) as Awaited<ReturnType<C['start']>>;
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
 * One stack: a new labelled network; PostgreSQL, Redis and the service, all at once, the service
 * ready when /api/health/ready answers 200. On any failure everything started is removed.
 * A runner in a container of the engine joins the network and reaches the containers at their
 * addresses and internal ports (engine/reach.ts); otherwise at their published ports.
 */
export async function startStack(options: StackOptions): Promise<RunningStack> {
  const { runId, suite } = options;
  const client = await engineClient();
  await testcontainersReaper();
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
    wait: () => WaitStrategy,
  ): C => (joined ? container.withPortsOnLoopback().withWaitStrategy(wait()) : container);
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
  let postgres: StartedPostgreSqlContainer;
  let redis: StartedRedisContainer;
  let service: StartedPynomalyContainer;
  try {
    // Our own labelled network, joined by name (withNetworkMode is what withNetwork does with a
    // StartedNetwork: it reads only its name). Testcontainers' `new Network()` takes no labels,
    // and cleanup and the reaper find a run's networks by label.
    await client.network.create({
      Name: networkName,
      Driver: 'bridge',
      CheckDuplicate: true,
      Labels: runLabels(runId, suite, 'network'),
    });
    if (joined) await docker.getNetwork(networkName).connect({ Container: joined });

    // All three start at once: the service boots (Node, its modules, its compute worker) while
    // PostgreSQL and Redis do, and retries its first connections until they answer; it is ready
    // when /api/health/ready answers 200, which needs both. Started after them, it waited
    // ~0.5 s for their readiness, its container and its own boot, one after the other.
    const pynomaly = onNetwork(new PynomalyContainer(options.images.pynomaly), () =>
      httpOnNetwork(networkName, SERVICE_PORT, READY_PATH, 200),
    )
      .withName(names.pynomaly)
      .withLabels(runLabels(runId, suite, 'pynomaly'))
      .withStackNetwork(networkName, 'pynomaly')
      .withEnvironment(env)
      .withLogConsumer(tails.pynomaly.consume)
      .withStartupTimeout(options.startupTimeoutMs ?? DEFAULT_SERVICE_TIMEOUT_MS);
    const serviceStart = startRole(
      'pynomaly',
      names.pynomaly,
      tails.pynomaly,
      options.coverage ? pynomaly.withCoverageDir(COVERAGE_DIR_IN_CONTAINER) : pynomaly,
      options.cpus,
    );
    // A failure of PostgreSQL or Redis ends the start at once (the stack is removed below, which
    // ends the service's wait too); the service's own failure is reported as its own.
    serviceStart.catch(() => undefined);
    const [postgresStart, redisStart] = await Promise.allSettled([
      startRole(
        'postgres',
        names.postgres,
        tails.postgres,
        onNetwork(new StackPostgreSqlContainer(options.images.postgres), () =>
          postgresReady(postgresAnswering({ network: networkName, port: PORTS.postgres })),
        )
          .withName(names.postgres)
          .withLabels(runLabels(runId, suite, 'postgres'))
          .withStackNetwork(networkName, 'postgres')
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
          redisPing({ network: networkName, port: PORTS.redis }),
        )
          .withName(names.redis)
          .withLabels(runLabels(runId, suite, 'redis'))
          .withStackNetwork(networkName, 'redis')
          .withLogConsumer(tails.redis.consume)
          .withStartupTimeout(DEPENDENCY_TIMEOUT_MS),
        options.cpus,
      ),
    ]);
    if (postgresStart.status === 'rejected') throw postgresStart.reason;
    if (redisStart.status === 'rejected') throw redisStart.reason;
    postgres = postgresStart.value;
    redis = redisStart.value;
    service = await serviceStart;
  } catch (error) {
    await stop();
    throw error;
  }

  const started: Record<Role, StartedTestContainer> = { postgres, redis, pynomaly: service };
  /** A module's URL as the runner reaches it: on the joined network, or as the module says. */
  const reached = (role: Role, moduleUrl: string) =>
    reachedUrl(
      moduleUrl,
      joined ? { address: started[role].getIpAddress(networkName), port: PORTS[role] } : undefined,
    );
  /** The containers' addresses on the joined network: the suites may send load there too. */
  const ownAddresses = () =>
    joined ? { ownAddresses: ROLES.map((r) => started[r].getIpAddress(networkName)).filter(Boolean) } : {};
  const serviceUrls = () => ({
    httpUrl: reached('pynomaly', service.getHttpUrl()),
    wsUrl: reached('pynomaly', service.getWsUrl()),
  });
  // Current endpoints: a restart of the service or of Redis may move a mapped port (or an address).
  let endpoints: StackEndpoints = {
    runId,
    suite,
    ...serviceUrls(),
    postgresUrl: reached('postgres', postgres.getConnectionUri()),
    redisUrl: reached('redis', redis.getConnectionUrl()),
    // What the service was started with: a suite's serviceEnv may turn auth on (security).
    authEnabled: env.PYNOMALY_AUTH_ENABLED === 'true',
    admin: { username: env.PYNOMALY_ADMIN_USERNAME, password: env.PYNOMALY_ADMIN_PASSWORD },
    seed: options.seed,
    serviceEnv: env,
    containers: { ...names },
    servicePort: SERVICE_PORT,
    reportsDir: options.reportsDir,
    ...ownAddresses(),
  };

  /**
   * The engine's full log so far; the in-memory tail when the container is already gone.
   * Through the engine, not StartedTestContainer.logs(): that one always follows, so its stream
   * never ends while the container runs.
   */
  const logOf = (role: Role, lines?: number) =>
    containerLog(docker.getContainer(started[role].getId()), lines).catch(() => tails[role].text(lines));

  return {
    get endpoints() {
      return endpoints;
    },
    async restartService() {
      // testcontainers re-reads the mapped port and waits for readiness again.
      await service.restart({ timeout: 10_000 });
      endpoints = { ...endpoints, ...serviceUrls(), ...ownAddresses() };
      return endpoints;
    },
    async stopRedis() {
      // Stopped, not removed, through the engine: testcontainers' stop() is final (it answers
      // every later call with its first result), so a second outage after startRedis would not stop.
      await docker.getContainer(redis.getId()).stop({ t: 2 });
    },
    async startRedis() {
      // A restart of the stopped container starts it; testcontainers re-reads its port and address
      // and waits for readiness as at the first start.
      await redis.restart();
      endpoints = { ...endpoints, redisUrl: reached('redis', redis.getConnectionUrl()), ...ownAddresses() };
      return endpoints;
    },
    serviceMemoryBytes: () => containerMemoryBytes(docker, service.getId()),
    trialStart: (extra, timeoutMs) =>
      trialStartOf(
        docker,
        { runId, suite, serviceContainer: service.getId(), network: networkName },
        extra,
        timeoutMs,
      ),
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
      try {
        // Kept, not removed: the coverage is read out of it. Already stopped (a suite did) is fine.
        await service.stop({ timeout: GRACEFUL_STOP_MS, remove: false });
        const archive = await service.copyArchiveFromContainer(COVERAGE_DIR_IN_CONTAINER);
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
