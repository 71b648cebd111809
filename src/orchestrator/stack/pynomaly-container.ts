/**
 * The Pynomaly service as a Testcontainers module, shaped like @testcontainers/postgresql's
 * PostgreSqlContainer: the port and a readiness wait by default, the service's own settings as
 * builders, and a started container that says where its API is. Any image serving the Pynomaly
 * API fits (--image). Published ports on loopback as the stack's other containers (containers.ts).
 */
import { AbstractStartedContainer, GenericContainer, Wait } from 'testcontainers';
import { createdOnItsNetwork, publishedOnLoopback } from './containers.ts';
import { SERVICE_PORT } from './service-env.ts';

export const READY_PATH = '/api/health/ready';
const DEFAULT_STARTUP_TIMEOUT_MS = 60_000;

export class PynomalyContainer extends publishedOnLoopback(createdOnItsNetwork(GenericContainer)) {
  constructor(image: string) {
    super(image);
    this.withExposedPorts(SERVICE_PORT);
    this.withEnvironment({ PYNOMALY_API_PORT: String(SERVICE_PORT) });
    // Ready once it serves with its database migrated; fail fast when the service exits instead.
    this.withWaitStrategy(
      Wait.forHttp(READY_PATH, SERVICE_PORT, { abortOnContainerExit: true }).forStatusCode(200),
    );
    this.withStartupTimeout(DEFAULT_STARTUP_TIMEOUT_MS);
  }

  /** The PostgreSQL the service keeps its data in, as the service reaches it. */
  withDatabaseUrl(url: string): this {
    return this.withEnvironment({ PYNOMALY_DATABASE_URL: url });
  }

  /** V8 coverage of the service, written into `dir` inside the container on a clean exit. */
  withCoverageDir(dir: string): this {
    return this.withEnvironment({ NODE_V8_COVERAGE: dir });
  }

  override async start(): Promise<StartedPynomalyContainer> {
    return new StartedPynomalyContainer(await super.start());
  }
}

export class StartedPynomalyContainer extends AbstractStartedContainer {
  getPort(): number {
    return this.getMappedPort(SERVICE_PORT);
  }

  /** The API's base URL on the engine's host, e.g. http://127.0.0.1:32768 (no trailing slash). */
  getHttpUrl(): string {
    return this.urlOf('http');
  }

  /** The same for WebSocket clients (/ws/...). */
  getWsUrl(): string {
    return this.urlOf('ws');
  }

  private urlOf(scheme: 'http' | 'ws'): string {
    const url = new URL(`${scheme}://localhost`);
    url.hostname = this.getHost();
    url.port = String(this.getPort());
    return url.origin;
  }
}
