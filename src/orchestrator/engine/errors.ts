/** No container engine answers. One paragraph: what is missing and how to fix it (exit code 2). */
export class EngineUnavailableError extends Error {
  override readonly name = 'EngineUnavailableError';
  constructor(where: string, cause: string) {
    super(
      `No container engine answers at ${where} (${cause}). pynomaly-it needs a Docker-compatible engine: ` +
        'run `npm run setup` as root to install and start one (Debian), or start yours and point ' +
        'DOCKER_HOST at it (for example DOCKER_HOST=unix:///var/run/docker.sock).',
    );
    // A setup problem, not a bug: the message says everything, a stack trace would only add noise.
    this.stack = `${this.name}: ${this.message}`;
  }
}
