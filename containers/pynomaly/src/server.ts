import pino from 'pino';
import { ConfigError, loadConfig } from './config.ts';
import { SERVICE_VERSION } from './version.ts';

const SHUTDOWN_TIMEOUT_MS = 15_000;

function fail(message: string): never {
  // One JSON line like every other log line, then a non-zero exit.
  process.stderr.write(`${JSON.stringify({ level: 'fatal', time: Date.now(), msg: message })}\n`);
  process.exit(1);
}

/** Retries: fast at first (the stack starts PostgreSQL beside us), then once a second. */
const RETRY_DELAYS_MS = [100, 100, 200, 300, 500];
/** Attempts before a retry is worth a warning: the first second of a start is PostgreSQL's own. */
const QUIET_ATTEMPTS = RETRY_DELAYS_MS.length;

async function waitForDatabase(run: () => Promise<unknown>, log: pino.Logger): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (let attempt = 1; ; attempt++) {
    try {
      await run();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      const message = { attempt, err: (error as Error).message };
      if (attempt > QUIET_ATTEMPTS) log.warn(message, 'database not ready, retrying');
      else log.debug(message, 'database not ready, retrying');
      await new Promise((resolve) => setTimeout(resolve, RETRY_DELAYS_MS[attempt - 1] ?? 1_000));
    }
  }
}

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) fail(`invalid configuration: ${error.message}`);
    throw error;
  }
  // The rest of the service is loaded only once its configuration is known good: a bad setting
  // stops the start in milliseconds, not after the whole app's modules (most of a start's CPU).
  const [
    { buildApp },
    { ensureAdmin, resumeJobs },
    { createComputePool },
    { migrate },
    { createPool },
    { createRedis },
  ] = await Promise.all([
    import('./app.ts'),
    import('./bootstrap.ts'),
    import('./compute/pool.ts'),
    import('./db/migrate.ts'),
    import('./db/pool.ts'),
    import('./redis.ts'),
  ]);
  const log = pino({
    level: config.logLevel,
    base: { service: 'pynomaly', environment: config.environment },
    redact: ['req.headers.authorization', 'req.headers["x-api-key"]', 'req.headers.cookie'],
  });
  const db = createPool(config.databaseUrl);
  const redis = createRedis(config.redisUrl);
  // The compute pool's worker boots, and the app's plugins and route schemas compile, while the
  // schema is migrated and the first admin's password is hashed: one after the other they were
  // most of the service's start. A database still starting (the stack starts it beside us) or
  // dropping connections while it settles is retried, not fatal.
  const compute = createComputePool();
  const [app] = await Promise.all([
    buildApp({ config, db, redis, compute, version: SERVICE_VERSION }, { loggerInstance: log }),
    (async () => {
      await waitForDatabase(async () => {
        const applied = await migrate(db);
        if (applied.length > 0) log.info({ versions: applied }, 'applied schema migrations');
      }, log);
      await waitForDatabase(() => ensureAdmin({ config, db, compute, log }), log);
    })(),
  ]);
  await waitForDatabase(() => resumeJobs(app), log);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down: draining requests');
    const force = setTimeout(() => {
      log.error('shutdown took too long, exiting');
      process.exit(1);
    }, SHUTDOWN_TIMEOUT_MS);
    force.unref();
    try {
      // The app's onClose hooks: stop taking requests, drain the jobs, then compute, Redis, the pool.
      await app.close();
      log.info('shutdown complete');
      log.flush?.();
    } finally {
      clearTimeout(force);
      process.exit(0);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  await app.listen({ host: '0.0.0.0', port: config.apiPort });
}

main().catch((error: unknown) => fail(`start-up failed: ${(error as Error).message}`));
