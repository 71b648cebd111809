/** Why an engine did not answer, as far as the error tells. */
export type FailureKind =
  | 'no-socket'
  | 'refused'
  | 'denied'
  | 'timeout'
  | 'unresolved'
  | 'unreachable'
  | 'wants-tls'
  | 'not-tls'
  | 'bad-address'
  | 'other';

export interface EngineFailure {
  kind: FailureKind;
  /** A few words for the message, e.g. "connection refused". */
  cause: string;
}

/** Classifies a connection or HTTP error of the engine probe (pure). */
export function engineFailure(error: unknown): EngineFailure {
  const e = error as NodeJS.ErrnoException & { reason?: string; json?: unknown };
  const message = (e?.message ?? String(error)).split('\n')[0];
  switch (e?.code) {
    case 'ENOENT':
      return { kind: 'no-socket', cause: 'the socket does not exist' };
    case 'ECONNREFUSED':
      return { kind: 'refused', cause: 'connection refused' };
    case 'EACCES':
    case 'EPERM':
      return { kind: 'denied', cause: 'permission denied on the socket' };
    case 'ENOTSOCK':
    case 'EISDIR':
      return { kind: 'no-socket', cause: 'the path is not a socket' };
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return { kind: 'unresolved', cause: 'the host name does not resolve' };
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return { kind: 'unreachable', cause: 'the host is unreachable' };
    case 'ETIMEDOUT':
      return { kind: 'timeout', cause: 'the connection timed out' };
    case 'EPROTO':
    case 'ERR_SSL_WRONG_VERSION_NUMBER':
      return { kind: 'not-tls', cause: 'the engine does not speak TLS' };
  }
  // dockerd answers plain HTTP on its TLS port with 400 and this text.
  if (/HTTP request to an HTTPS server/i.test(`${message} ${e?.reason ?? ''} ${String(e?.json ?? '')}`))
    return { kind: 'wants-tls', cause: 'the engine expects TLS' };
  if (/did not answer within/.test(message)) return { kind: 'timeout', cause: message };
  return { kind: 'other', cause: message };
}

/** What to do about it, for an address the user chose in DOCKER_HOST. */
function fixFor(where: string, kind: FailureKind): string {
  let url: URL | undefined;
  try {
    url = new URL(where);
  } catch {
    // bad-address: no URL to quote.
  }
  const path = url?.protocol === 'unix:' ? url.pathname : undefined;
  const hostPort = url?.protocol === 'tcp:' ? url.host : undefined;
  switch (kind) {
    case 'bad-address':
      return 'DOCKER_HOST must be unix:///path/to/docker.sock or tcp://host:port.';
    case 'no-socket':
      return `Start the engine on that socket (dockerd -H unix://${path ?? '/path'}) or correct the path.`;
    case 'denied':
      return `Run as a user who may open ${path ?? 'the socket'} (root, or a member of its group).`;
    case 'refused':
      return hostPort
        ? `Nothing listens on ${hostPort}: start the engine there (dockerd -H tcp://${hostPort}) or correct host and port.`
        : 'Start the engine on that socket or correct the path.';
    case 'timeout':
    case 'unreachable':
      return 'Check that the host is reachable from here and that the engine listens on that address.';
    case 'unresolved':
      return 'Correct the host name.';
    case 'wants-tls':
      return 'Set DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH to the folder with ca.pem, cert.pem and key.pem.';
    case 'not-tls':
      return 'Unset DOCKER_TLS_VERIFY for an engine without TLS.';
    default:
      return 'Check that an engine listens there.';
  }
}

/**
 * The message (one paragraph: where, why, the fix). `explicit`: the address came from
 * DOCKER_HOST, which is final; else it is the default socket, which `npm run setup` provides.
 */
export function engineUnavailableMessage(where: string, failure: EngineFailure, explicit: boolean): string {
  const what =
    failure.kind === 'bad-address'
      ? `DOCKER_HOST=${where} cannot be used`
      : `No container engine answers at DOCKER_HOST=${where}`;
  if (explicit)
    return (
      `${what} (${failure.cause}). ${fixFor(where, failure.kind)} ` +
      'Or unset DOCKER_HOST to use the local engine at unix:///var/run/docker.sock ' +
      '(`npm run setup` as root installs and starts one on Debian).'
    );
  return (
    `No container engine answers at ${where} (${failure.cause}). pynomaly-it needs a Docker-compatible engine: ` +
    'run `npm run setup` as root to install and start one (Debian), or start yours and point ' +
    'DOCKER_HOST at it (for example DOCKER_HOST=unix:///var/run/docker.sock or tcp://127.0.0.1:2375).'
  );
}

/** No container engine answers. One paragraph: what is missing and how to fix it (exit code 2). */
export class EngineUnavailableError extends Error {
  override readonly name = 'EngineUnavailableError';
  constructor(where: string, failure: string | EngineFailure, explicit = false) {
    super(
      engineUnavailableMessage(
        where,
        typeof failure === 'string' ? { kind: 'other', cause: failure } : failure,
        explicit,
      ),
    );
    // A setup problem, not a bug: the message says everything, a stack trace would only add noise.
    this.stack = `${this.name}: ${this.message}`;
  }
}
