import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { EXIT } from '../config/errors.ts';
import type { RunConfig } from '../config/types.ts';
import { core } from '../runner/core-glue.ts';
import { orderSeedOf } from '../runner/order-seed.ts';
import { commandOutput } from './output.ts';
import { untilAborted, watchInterrupts } from './signals.ts';

export const UP_STACK_FILE = '.pynomaly-it/stack.json';

/** `up`: one stack until Ctrl-C, for working on a failing test against it. */
export async function upCommand(config: RunConfig): Promise<number> {
  const { logger, print } = commandOutput(config);
  const interrupts = watchInterrupts((signal) => logger.info(`${signal}: removing the stack`));
  const glue = await core();
  const suite = config.suites.length === 1 ? config.suites[0] : undefined;
  const stackFile = join(config.cwd, UP_STACK_FILE);
  let reaper: Awaited<ReturnType<typeof glue.startReaper>> | undefined;
  try {
    await glue.checkEngine();
    reaper = await glue.startReaper(config.runId, { logger });
    const { images } = await glue.resolveImages({ ...config.images, logger });
    const reportsDir = join(config.reportsDir, 'up');
    await mkdir(reportsDir, { recursive: true });
    logger.info('starting the stack');
    const stack = await glue.startStack({
      runId: config.runId,
      suite: 'up',
      images,
      authEnabled: config.auth,
      logLevel: config.logLevel,
      seed: config.seed,
      cpus: config.cpus,
      coverage: config.coverage,
      extraEnv: { ...config.serviceEnv },
      reportsDir,
    });
    try {
      await mkdir(join(config.cwd, '.pynomaly-it'), { recursive: true });
      await writeFile(stackFile, `${JSON.stringify(stack.endpoints, null, 2)}\n`);
      const e = stack.endpoints;
      const dir = suite?.dir ?? 'src/suites/<suite>';
      print(
        [
          '',
          `Stack of run ${config.runId} is up (seed ${config.seed}, auth ${e.authEnabled ? 'on' : 'off'}):`,
          `  http:  ${e.httpUrl}   (${e.httpUrl}/api/docs, ${e.httpUrl}/api/health)`,
          `  ws:    ${e.wsUrl}`,
          `  admin: ${e.admin.username} / ${e.admin.password}`,
          `  psql ${e.postgresUrl}`,
          `  redis-cli -u ${e.redisUrl}`,
          `  endpoints file: ${relative(config.cwd, stackFile)}`,
          '',
          'Run a suite against it:',
          // The order seed of this stack's seed: the same shuffled order as `run --seed` gives.
          `  PYNOMALY_IT_STACK_FILE=${UP_STACK_FILE} PYNOMALY_IT_ORDER_SEED=${orderSeedOf(config.seed)} npx vitest run --config vitest.suites.config.ts ${dir}`,
          '',
          'Press Ctrl-C to stop and remove it.',
          '',
        ].join('\n'),
      );
      await untilAborted(interrupts.signal);
      await stack.saveLogs(join(reportsDir, 'logs')).catch(() => []);
    } finally {
      await stack.stop();
      await rm(stackFile, { force: true });
    }
    // Ctrl-C is how `up` is meant to end: a clean teardown is a success.
    return EXIT.passed;
  } finally {
    await glue.removeRun(config.runId).catch(() => undefined);
    await reaper?.close();
    interrupts.dispose();
  }
}
