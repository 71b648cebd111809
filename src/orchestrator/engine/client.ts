import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Dockerode from 'dockerode';
import { type ContainerRuntimeClient, getContainerRuntimeClient } from 'testcontainers';
import { EngineUnavailableError, engineFailure } from './errors.ts';
import { testcontainersPrepared } from './testcontainers-env.ts';

const DEFAULT_SOCKET = '/var/run/docker.sock';
const PROBE_TIMEOUT_MS = 5_000;

export interface EngineInfo {
  /** Engine version, e.g. 20.10.24. */
  version: string;
  /** Engine API version, e.g. 1.41. */
  apiVersion: string;
  /** Where containers' mapped ports are reached (testcontainers' view), e.g. localhost. */
  host: string;
  /** The engine's address as DOCKER_HOST would spell it, e.g. unix:///var/run/docker.sock. */
  dockerHost: string;
  operatingSystem: string;
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * A DOCKER_HOST the runner can use: unix:///path or tcp://host[:port] (what testcontainers and
 * the docker CLI both understand). Anything else fails at once with the fix, not as a timeout.
 */
export function parseDockerHost(value: string): URL {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    // Not a URL at all (e.g. a bare path): the message says what is.
  }
  if (url?.protocol === 'unix:' && url.pathname) return url;
  if (url?.protocol === 'tcp:' && url.hostname) return url;
  const cause = url ? `${url.protocol}// is not supported` : 'not a URL';
  throw new EngineUnavailableError(value, { kind: 'bad-address', cause }, true);
}

/**
 * Dockerode options for a DOCKER_HOST value (unix:// or tcp://). TLS as testcontainers does it:
 * DOCKER_TLS_VERIFY=1 with DOCKER_CERT_PATH holding ca.pem, cert.pem and key.pem.
 */
export function dockerodeOptionsFor(
  dockerHost: string,
  env: NodeJS.ProcessEnv = process.env,
): Dockerode.DockerOptions {
  const url = parseDockerHost(dockerHost);
  if (url.protocol === 'unix:') return { socketPath: url.pathname };
  const certs = env.DOCKER_TLS_VERIFY === '1' ? env.DOCKER_CERT_PATH : undefined;
  if (!certs) return { host: url.hostname, port: url.port || 2375, protocol: 'http' };
  const read = (file: string) => {
    try {
      return readFileSync(join(certs, file));
    } catch {
      throw new EngineUnavailableError(
        dockerHost,
        { kind: 'wants-tls', cause: `cannot read ${join(certs, file)}` },
        true,
      );
    }
  };
  return {
    host: url.hostname,
    port: url.port || 2376,
    protocol: 'https',
    ca: read('ca.pem'),
    cert: read('cert.pem'),
    key: read('key.pem'),
  };
}

/** DOCKER_HOST-style address of a dockerode client (for the docker CLI, which must use the same engine). */
export function dockerHostOf(dockerode: Dockerode): string {
  const modem = dockerode.modem as {
    socketPath?: string;
    host?: string;
    port?: number | string;
    protocol?: string;
  };
  if (modem.socketPath) return `unix://${modem.socketPath}`;
  return `tcp://${modem.host}:${modem.port ?? 2375}`;
}

/**
 * The engine testcontainers uses (DOCKER_HOST, then the default socket). An explicit DOCKER_HOST
 * that does not answer is an error, not a reason to fall back to another engine: the user chose it.
 */
async function connect(): Promise<ContainerRuntimeClient> {
  const configured = process.env.DOCKER_HOST;
  const explicit = Boolean(configured);
  if (configured) parseDockerHost(configured);
  if (!testcontainersPrepared())
    throw new Error(
      'testcontainers was loaded before prepareTestcontainers() (engine/testcontainers-env.ts) set its Ryuk image: call it before importing the engine modules',
    );
  const where = configured || `unix://${DEFAULT_SOCKET}`;
  let probeFailure: unknown;
  try {
    if (!configured && !existsSync(DEFAULT_SOCKET))
      throw Object.assign(new Error('no socket'), { code: 'ENOENT' });
    await withTimeout(new Dockerode(dockerodeOptionsFor(where)).ping(), PROBE_TIMEOUT_MS, where);
  } catch (error) {
    // An explicit DOCKER_HOST is final. Without one, testcontainers may still find an engine
    // elsewhere (~/.testcontainers.properties, a rootless socket): let it try.
    if (error instanceof EngineUnavailableError) throw error;
    if (configured) throw new EngineUnavailableError(where, engineFailure(error), explicit);
    probeFailure = error;
  }
  try {
    return await withTimeout(getContainerRuntimeClient(), 20_000, where);
  } catch (error) {
    throw new EngineUnavailableError(where, engineFailure(probeFailure ?? error), explicit);
  }
}

let client: Promise<ContainerRuntimeClient> | undefined;

/** The shared engine client; throws EngineUnavailableError (and retries on the next call). */
export function engineClient(): Promise<ContainerRuntimeClient> {
  client ??= connect().catch((error) => {
    client = undefined;
    throw error;
  });
  return client;
}

/**
 * The engine's dockerode (testcontainers' own instance). testcontainers brings its own copy of
 * @types/dockerode; the cast lets the rest of the code use the project's one.
 */
export function dockerodeOf(runtime: ContainerRuntimeClient): Dockerode {
  return runtime.container.dockerode as unknown as Dockerode;
}

export async function docker(): Promise<Dockerode> {
  return dockerodeOf(await engineClient());
}

/** Is an engine there, and which? Throws EngineUnavailableError with the fix. */
export async function checkEngine(): Promise<EngineInfo> {
  const runtime = await engineClient();
  const dockerode = dockerodeOf(runtime);
  let version: Dockerode.DockerVersion;
  try {
    version = await withTimeout(dockerode.version(), PROBE_TIMEOUT_MS, 'the engine');
  } catch (error) {
    throw new EngineUnavailableError(
      dockerHostOf(dockerode),
      engineFailure(error),
      Boolean(process.env.DOCKER_HOST),
    );
  }
  return {
    version: version.Version,
    apiVersion: version.ApiVersion,
    host: runtime.info.containerRuntime.host,
    dockerHost: dockerHostOf(dockerode),
    operatingSystem: runtime.info.containerRuntime.operatingSystem,
  };
}
