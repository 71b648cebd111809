import { randomBytes } from 'node:crypto';
import type { StackOptions } from './types.ts';

/** The port the service listens on inside its container (the image's default, set explicitly). */
export const SERVICE_PORT = 8000;
export const COVERAGE_DIR_IN_CONTAINER = '/tmp/coverage';
/** Inside the stack's network; the same credentials PostgreSqlContainer is started with. */
export const PG = { user: 'user', password: 'pass', database: 'db' } as const;

/** The service's environment: fresh secrets per stack, aliases of the stack's network. */
export function serviceEnvironment(options: StackOptions): Record<string, string> {
  return {
    PYNOMALY_ENVIRONMENT: 'testing',
    PYNOMALY_LOG_LEVEL: options.logLevel,
    PYNOMALY_CACHE_ENABLED: 'false',
    PYNOMALY_AUTH_ENABLED: String(options.authEnabled),
    PYNOMALY_DOCS_ENABLED: 'true',
    PYNOMALY_DATABASE_URL: `postgres://${PG.user}:${PG.password}@postgres:5432/${PG.database}`,
    PYNOMALY_REDIS_URL: 'redis://redis:6379',
    PYNOMALY_SECRET_KEY: randomBytes(48).toString('base64url'),
    PYNOMALY_ADMIN_USERNAME: 'admin',
    PYNOMALY_ADMIN_PASSWORD: randomBytes(18).toString('base64url'),
    PYNOMALY_RANDOM_SEED: String(options.seed),
    PYNOMALY_API_PORT: String(SERVICE_PORT),
    ...options.extraEnv,
  };
}
