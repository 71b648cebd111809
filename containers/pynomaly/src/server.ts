import pino from 'pino';
import { buildApp } from './app.ts';
import { ensureAdmin, resumeJobs } from './bootstrap.ts';
import { createComputePool } from './compute/pool.ts';
import { ConfigError, loadConfig } from './config.ts';
import { migrate } from './db/migrate.ts';
import { createPool } from './db/pool.ts';
import { createRedis } from './redis.ts';
import { SERVICE_VERSION } from './version.ts';

const SHUTDOWN_TIMEOUT_MS = 15_000;

function fail(message: string): never {
  // One JSON line like every other log line, then a non-zero exit.
  process.stderr.write(`${JSON.stringify({ level: 'fatal', time: Date.now(), msg: message })}\n`);
  process.exit(1);
}

async function waitForDatabase(run: () => Promise<unknown>, log: pino.Logger): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (let attempt = 1; ; attempt++) {
    try {
      await run();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      log.warn({ attempt, err: (error as Error).message }, 'database not ready, retrying');
      await new Promise((resolve) => setTimeout(resolve, 1_000));
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
  const log = pino({
    level: config.logLevel,
    base: { service: 'pynomaly', environment: config.environment },
    redact: ['req.headers.authorization', 'req.headers["x-api-key"]', 'req.headers.cookie'],
  });
  const db = createPool(config.databaseUrl);
  await waitForDatabase(async () => {
    const applied = await migrate(db);
    if (applied.length > 0) log.info({ versions: applied }, 'applied schema migrations');
  }, log);
  const redis = createRedis(config.redisUrl);
  const compute = createComputePool();
  // The app's plugins and route schemas are compiled (ready) while the first admin's password is
  // hashed in the compute pool: the two were most of the time between migrations and listening.
  // A database that drops connections while it settles (a loaded machine) is retried, not fatal.
  const [app] = await Promise.all([
    buildApp({ config, db, redis, compute, version: SERVICE_VERSION }, { loggerInstance: log }),
    waitForDatabase(() => ensureAdmin({ config, db, compute, log }), log),
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
