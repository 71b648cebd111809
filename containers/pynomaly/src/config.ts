/**
 * Every PYNOMALY_* variable of the contract, parsed once into a frozen, typed config.
 * A bad value throws a ConfigError naming the variable, so start-up stops with a clear message.
 */

/** bcrypt's cost when PYNOMALY_PASSWORD_HASH_ROUNDS is not set. */
export const DEFAULT_PASSWORD_HASH_ROUNDS = 10;

export type Environment = 'development' | 'testing' | 'production';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface Config {
  readonly environment: Environment;
  readonly logLevel: LogLevel;
  readonly databaseUrl: string;
  readonly redisUrl: string;
  readonly cacheEnabled: boolean;
  readonly authEnabled: boolean;
  readonly docsEnabled: boolean;
  readonly corsEnabled: boolean;
  /** Origins allowed by CORS; empty means none beyond same-origin. */
  readonly corsOrigins: readonly string[];
  readonly secretKey: string;
  readonly apiPort: number;
  /** Requests per client in one rate-limit window (a minute unless PYNOMALY_API_RATE_LIMIT_WINDOW says otherwise). */
  readonly rateLimitPerMinute: number;
  /** Length of the rate-limit window, seconds. */
  readonly rateLimitWindowSeconds: number;
  readonly maxDatasetSizeMb: number;
  readonly defaultContaminationRate: number;
  readonly randomSeed: number;
  readonly maxStreamingSessions: number;
  /** Active sessions of one user (default: the total cap). */
  readonly maxStreamingSessionsPerUser: number;
  /** Unfinished AutoML jobs one user may have at once (the next start is 429). */
  readonly maxAutomlJobsPerUser: number;
  readonly adminUsername: string | null;
  readonly adminPassword: string | null;
  /** Lifetime of access tokens, seconds. */
  readonly accessTokenTtlSeconds: number;
  readonly refreshTokenTtlSeconds: number;
  /** bcrypt's cost (log2 rounds) for new password hashes; a stored hash keeps its own. */
  readonly passwordHashRounds: number;
  /** Failed logins of one username in a window before its logins answer 429. */
  readonly loginMaxFailuresPerUser: number;
  /** Failed logins from one client address in a window before its logins answer 429. */
  readonly loginMaxFailuresPerIp: number;
  /** Length of the failed-login window, seconds. */
  readonly loginFailureWindowSeconds: number;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`${variable}: ${problem}`);
  }
}

type Env = Record<string, string | undefined>;

function read(env: Env, name: string): string | undefined {
  const value = env[name];
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const value = read(env, name);
  if (value === undefined) return fallback;
  const lower = value.toLowerCase();
  if (!(allowed as readonly string[]).includes(lower))
    throw new ConfigError(name, `must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`);
  return lower as T;
}

const TRUE = ['true', '1', 'yes', 'on'];
const FALSE = ['false', '0', 'no', 'off'];

function flag(env: Env, name: string, fallback: boolean): boolean {
  const value = read(env, name);
  if (value === undefined) return fallback;
  const lower = value.toLowerCase();
  if (TRUE.includes(lower)) return true;
  if (FALSE.includes(lower)) return false;
  throw new ConfigError(name, `must be true or false, got ${JSON.stringify(value)}`);
}

function number(
  env: Env,
  name: string,
  fallback: number,
  range: { min: number; max: number; integer?: boolean; exclusiveMin?: boolean },
): number {
  const value = read(env, name);
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isFinite(parsed)) throw new ConfigError(name, `must be a number, got ${JSON.stringify(value)}`);
  if (range.integer && !Number.isInteger(parsed))
    throw new ConfigError(name, `must be an integer, got ${value}`);
  const belowMin = range.exclusiveMin ? parsed <= range.min : parsed < range.min;
  if (belowMin || parsed > range.max)
    throw new ConfigError(
      name,
      `must be ${range.exclusiveMin ? '>' : '>='} ${range.min} and <= ${range.max}, got ${value}`,
    );
  return parsed;
}

function url(env: Env, name: string, fallback: string, protocols: readonly string[]): string {
  const value = read(env, name) ?? fallback;
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new ConfigError(name, 'is not a valid URL');
  }
  if (!protocols.includes(parsed.protocol))
    throw new ConfigError(name, `must use ${protocols.join(' or ')}, got ${parsed.protocol}`);
  return value;
}

const WEAK_SECRETS = ['secret', 'changeme', 'change-me', 'password', 'dev-secret', 'development', 'test'];

/** A secret good enough for production: 32+ characters, not a known placeholder, not one repeated character. */
export function isStrongSecret(secret: string): boolean {
  if (secret.length < 32) return false;
  const lower = secret.toLowerCase();
  if (WEAK_SECRETS.some((weak) => lower.includes(weak))) return false;
  return new Set(secret).size >= 8;
}

/** Fixed dev-only key so local runs with auth work; refused in production. */
const DEVELOPMENT_SECRET = 'pynomaly-development-secret-not-for-production';

export function loadConfig(env: Env = process.env): Config {
  const environment = oneOf<Environment>(
    env,
    'PYNOMALY_ENVIRONMENT',
    ['development', 'testing', 'production'],
    'development',
  );
  const production = environment === 'production';
  const authEnabled = flag(env, 'PYNOMALY_AUTH_ENABLED', false);
  const secretKey = read(env, 'PYNOMALY_SECRET_KEY');
  if (authEnabled && secretKey === undefined)
    throw new ConfigError('PYNOMALY_SECRET_KEY', 'is required when PYNOMALY_AUTH_ENABLED=true');
  if (production && (secretKey === undefined || !isStrongSecret(secretKey)))
    throw new ConfigError(
      'PYNOMALY_SECRET_KEY',
      'production needs a strong secret (32+ characters, not a placeholder such as "secret" or "changeme")',
    );
  const maxStreamingSessions = number(env, 'PYNOMALY_MAX_STREAMING_SESSIONS', 10, {
    min: 1,
    max: 10_000,
    integer: true,
  });
  const adminUsername = read(env, 'PYNOMALY_ADMIN_USERNAME') ?? null;
  const adminPassword = read(env, 'PYNOMALY_ADMIN_PASSWORD') ?? null;
  if ((adminUsername === null) !== (adminPassword === null))
    throw new ConfigError(
      adminUsername === null ? 'PYNOMALY_ADMIN_USERNAME' : 'PYNOMALY_ADMIN_PASSWORD',
      'PYNOMALY_ADMIN_USERNAME and PYNOMALY_ADMIN_PASSWORD must be set together',
    );
  if (adminPassword !== null && adminPassword.length < 8)
    throw new ConfigError('PYNOMALY_ADMIN_PASSWORD', 'must be at least 8 characters');
  if (adminPassword !== null && Buffer.byteLength(adminPassword, 'utf8') > 72)
    throw new ConfigError('PYNOMALY_ADMIN_PASSWORD', 'must be at most 72 bytes (bcrypt ignores the rest)');
  const origins = (read(env, 'PYNOMALY_CORS_ORIGINS') ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter((o) => o !== '');
  for (const origin of origins)
    if (!/^https?:\/\/[^/\s*]+$/.test(origin))
      throw new ConfigError(
        'PYNOMALY_CORS_ORIGINS',
        `${JSON.stringify(origin)} is not an origin (scheme://host[:port])`,
      );

  const config: Config = {
    environment,
    logLevel: oneOf<LogLevel>(
      env,
      'PYNOMALY_LOG_LEVEL',
      ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
      'info',
    ),
    databaseUrl: url(env, 'PYNOMALY_DATABASE_URL', 'postgres://pynomaly:pynomaly@127.0.0.1:5432/pynomaly', [
      'postgres:',
      'postgresql:',
    ]),
    redisUrl: url(env, 'PYNOMALY_REDIS_URL', 'redis://127.0.0.1:6379/0', ['redis:', 'rediss:']),
    cacheEnabled: flag(env, 'PYNOMALY_CACHE_ENABLED', false),
    authEnabled,
    docsEnabled: flag(env, 'PYNOMALY_DOCS_ENABLED', !production),
    corsEnabled: flag(env, 'PYNOMALY_CORS_ENABLED', false),
    corsOrigins: Object.freeze(origins),
    secretKey: secretKey ?? DEVELOPMENT_SECRET,
    apiPort: number(env, 'PYNOMALY_API_PORT', 8000, { min: 1, max: 65535, integer: true }),
    rateLimitPerMinute: number(env, 'PYNOMALY_API_RATE_LIMIT', production ? 100 : 60_000, {
      min: 1,
      max: 1_000_000,
      integer: true,
    }),
    rateLimitWindowSeconds: number(env, 'PYNOMALY_API_RATE_LIMIT_WINDOW', 60, {
      min: 1,
      max: 86_400,
      integer: true,
    }),
    maxDatasetSizeMb: number(env, 'PYNOMALY_MAX_DATASET_SIZE_MB', 100, {
      min: 0,
      max: 10_240,
      exclusiveMin: true,
    }),
    defaultContaminationRate: number(env, 'PYNOMALY_DEFAULT_CONTAMINATION_RATE', 0.1, {
      min: 0,
      max: 0.5,
      exclusiveMin: true,
    }),
    randomSeed: number(env, 'PYNOMALY_RANDOM_SEED', 42, { min: 0, max: 2 ** 32 - 1, integer: true }),
    maxStreamingSessions,
    maxStreamingSessionsPerUser: number(
      env,
      'PYNOMALY_MAX_STREAMING_SESSIONS_PER_USER',
      maxStreamingSessions,
      {
        min: 1,
        max: 10_000,
        integer: true,
      },
    ),
    maxAutomlJobsPerUser: number(env, 'PYNOMALY_MAX_AUTOML_JOBS_PER_USER', 4, {
      min: 1,
      max: 1_000,
      integer: true,
    }),
    adminUsername,
    adminPassword,
    accessTokenTtlSeconds: number(env, 'PYNOMALY_ACCESS_TOKEN_TTL_SECONDS', 1800, {
      min: 1,
      max: 86_400 * 30,
      integer: true,
    }),
    refreshTokenTtlSeconds: number(env, 'PYNOMALY_REFRESH_TOKEN_TTL_SECONDS', 7 * 86_400, {
      min: 1,
      max: 86_400 * 365,
      integer: true,
    }),
    // 4 is bcrypt's own minimum; a test stack may go down to it, production keeps the default.
    passwordHashRounds: number(env, 'PYNOMALY_PASSWORD_HASH_ROUNDS', DEFAULT_PASSWORD_HASH_ROUNDS, {
      min: 4,
      max: 15,
      integer: true,
    }),
    loginMaxFailuresPerUser: number(env, 'PYNOMALY_LOGIN_MAX_FAILURES_PER_USER', 5, {
      min: 1,
      max: 1_000_000,
      integer: true,
    }),
    loginMaxFailuresPerIp: number(env, 'PYNOMALY_LOGIN_MAX_FAILURES_PER_IP', 30, {
      min: 1,
      max: 1_000_000,
      integer: true,
    }),
    loginFailureWindowSeconds: number(env, 'PYNOMALY_LOGIN_FAILURE_WINDOW', 300, {
      min: 1,
      max: 86_400,
      integer: true,
    }),
  };
  return Object.freeze(config);
}
