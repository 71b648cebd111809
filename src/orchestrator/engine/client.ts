import { existsSync } from 'node:fs';
import Dockerode from 'dockerode';
import { type ContainerRuntimeClient, getContainerRuntimeClient } from 'testcontainers';
import { EngineUnavailableError } from './errors.ts';
import { configureTestcontainers } from './testcontainers-env.ts';

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

function reason(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  if (e?.code === 'ENOENT') return 'the socket does not exist';
  if (e?.code === 'ECONNREFUSED') return 'connection refused';
  if (e?.code === 'EACCES') return 'permission denied on the socket';
  return (e?.message ?? String(error)).split('\n')[0];
}

/** Dockerode options for a DOCKER_HOST value (unix:// or tcp://). */
export function dockerodeOptionsFor(dockerHost: string): Dockerode.DockerOptions {
  const url = new URL(dockerHost);
  if (url.protocol === 'unix:') return { socketPath: url.pathname };
  return { host: url.hostname, port: url.port || 2375, protocol: 'http' };
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
  // Before testcontainers creates its client: it reads these settings from the environment then.
  configureTestcontainers(process.env);
  const configured = process.env.DOCKER_HOST;
  const where = configured || `unix://${DEFAULT_SOCKET}`;
  let probeFailure: unknown;
  try {
    if (!configured && !existsSync(DEFAULT_SOCKET))
      throw Object.assign(new Error('no socket'), { code: 'ENOENT' });
    await withTimeout(new Dockerode(dockerodeOptionsFor(where)).ping(), PROBE_TIMEOUT_MS, where);
  } catch (error) {
    // An explicit DOCKER_HOST is final. Without one, testcontainers may still find an engine
    // elsewhere (~/.testcontainers.properties, a rootless socket): let it try.
    if (configured) throw new EngineUnavailableError(where, reason(error));
    probeFailure = error;
  }
  try {
    return await withTimeout(getContainerRuntimeClient(), 20_000, where);
  } catch (error) {
    throw new EngineUnavailableError(where, reason(probeFailure ?? error));
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
    throw new EngineUnavailableError(dockerHostOf(dockerode), reason(error));
  }
  return {
    version: version.Version,
    apiVersion: version.ApiVersion,
    host: runtime.info.containerRuntime.host,
    dockerHost: dockerHostOf(dockerode),
    operatingSystem: runtime.info.containerRuntime.operatingSystem,
  };
}
