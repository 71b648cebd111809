/**
 * The stack's dependencies as Testcontainers modules (the service's own is pynomaly-container.ts).
 * Each of the three publishes its ports on 127.0.0.1 only when the runner reaches the engine's
 * ports on loopback (a local engine, or the nested engine of the CI image): the engine's default
 * is every interface, which would put PostgreSQL (with its password) and Redis (with none) on the
 * machine's network for every stack. A remote engine keeps the default, since its loopback is not
 * ours. A runner that reaches the containers on their network (engine/reach.ts) binds them to
 * loopback too: it never uses them.
 */
import { PostgreSqlContainer } from '@testcontainers/postgresql';
import { RedisContainer } from '@testcontainers/redis';
import { type GenericContainer, Wait, type WaitStrategy } from 'testcontainers';
import { postgresAnswering, redisPing } from './network-wait.ts';

type HostConfig = { PortBindings?: Record<string, { HostIp?: string; HostPort?: string }[]> };

export function portsReachedOnLoopback(env: NodeJS.ProcessEnv = process.env): boolean {
  const host = env.TESTCONTAINERS_HOST_OVERRIDE;
  return host === '127.0.0.1' || host === 'localhost' || host === '::1';
}

/** Every published port bound to 127.0.0.1 (mutates the create options before the container exists). */
export function bindToLoopback(hostConfig: HostConfig): void {
  for (const bindings of Object.values(hostConfig.PortBindings ?? {}))
    for (const binding of bindings) binding.HostIp = '127.0.0.1';
}

// biome-ignore lint/suspicious/noExplicitAny: a mixin's constructor takes what its base takes.
type ContainerClass = new (...args: any[]) => GenericContainer;

/** The container class with its published ports bound to loopback (see above). */
export function publishedOnLoopback<T extends ContainerClass>(Base: T) {
  return class extends Base {
    private loopbackOnly = portsReachedOnLoopback();

    /** Published ports on 127.0.0.1 whatever the engine's host (the runner does not use them). */
    withPortsOnLoopback(): this {
      this.loopbackOnly = true;
      return this;
    }

    protected override async beforeContainerCreated(): Promise<void> {
      if (this.loopbackOnly) bindToLoopback(this.hostConfig as HostConfig);
    }
  };
}

/**
 * The container class created on one network only, reached there by an alias. Testcontainers'
 * `withNetworkAliases` creates a container on the engine's default bridge and joins it to the
 * network afterwards, so every container of every stack also held an address of the default
 * bridge: an engine with a small pool there (a /28: 14 addresses) ran out of them with warm stacks
 * and stacks being removed beside the running ones. Docker takes the alias at creation instead.
 */
export function createdOnItsNetwork<T extends ContainerClass>(Base: T) {
  return class extends Base {
    /** On `network` only, from its creation, reached there as `alias`. */
    withStackNetwork(network: string, alias: string): this {
      this.withNetworkMode(network);
      this.createOpts.NetworkingConfig = { EndpointsConfig: { [network]: { Aliases: [alias] } } };
      return this;
    }
  };
}

/** The one line PostgreSQL prints when it accepts connections (our image starts it once). */
export const POSTGRES_READY_LINE = /database system is ready to accept connections/;

/**
 * Ready: the server said so and answers on its port (an image's temporary set-up server, as the
 * official image runs, prints the line too but listens on no port). Both are checked from the
 * runner's side: testcontainers' listening-port check runs a command in the container (an exec,
 * 0.3-1 s on a loaded machine).
 */
export function postgresReady(
  answering: WaitStrategy = postgresAnswering({ published: 5432 }),
): WaitStrategy {
  return Wait.forAll([Wait.forLogMessage(POSTGRES_READY_LINE), answering]);
}

/**
 * PostgreSQL without the module's Docker health check. That check (pg_isready every 250 ms) goes on
 * for the container's whole life, each time an exec through the engine, runc, a shell and a server
 * backend: in a full run, 22 s of the engine's CPU (of 34 s) on 2 cores. Readiness is checked
 * once instead, at start.
 */
export class StackPostgreSqlContainer extends publishedOnLoopback(createdOnItsNetwork(PostgreSqlContainer)) {
  constructor(image: string) {
    super(image);
    // Docker's way to run no health check; the module adds its own only when none is set.
    this.withHealthCheck({ test: ['NONE'] } as unknown as Parameters<
      GenericContainer['withHealthCheck']
    >[0]).withWaitStrategy(postgresReady());
  }
}
/** Redis ready when it answers PING (network-wait.ts says why not its log line). */
export class StackRedisContainer extends publishedOnLoopback(createdOnItsNetwork(RedisContainer)) {
  constructor(image: string) {
    super(image);
    this.withWaitStrategy(redisPing({ published: 6379 }));
  }
}
