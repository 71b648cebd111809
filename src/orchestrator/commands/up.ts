import { mkdir, rm } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { EXIT } from '../config/errors.ts';
import type { RunConfig } from '../config/types.ts';
import { orderSeedOf } from '../runner/order-seed.ts';
import { writeStackFile } from '../runner/stack-file.ts';
import type { CommandDeps } from '../session/deps.ts';
import { Session } from '../session/session.ts';
import { serveStackControl } from '../stack/control-server.ts';
import { commandOutput } from './output.ts';
import { untilAborted, watchInterrupts } from './signals.ts';

export const UP_STACK_FILE = '.pynomaly-it/stack.json';

/** `up`: one stack until Ctrl-C, for working on a failing test against it. */
export async function upCommand(config: RunConfig, deps: CommandDeps): Promise<number> {
  const { logger, print } = commandOutput(config);
  await using session = new Session(config, await deps.core(), logger);
  const interrupts = watchInterrupts((signal) => logger.info(`${signal}: removing the stack`));
  const suite = config.suites.length === 1 ? config.suites[0] : undefined;
  const stackFile = join(config.cwd, UP_STACK_FILE);
  try {
    await session.connect();
    await session.resolveImages();
    const reportsDir = join(config.reportsDir, 'up');
    await mkdir(reportsDir, { recursive: true });
    logger.info('starting the stack');
    const stack = await session.startStack({ suite: 'up', reportsDir, coverage: config.coverage });
    const control = await serveStackControl(stack, (moved) => writeStackFile(stackFile, moved, control.url));
    try {
      await mkdir(join(config.cwd, '.pynomaly-it'), { recursive: true });
      await writeStackFile(stackFile, stack.endpoints, control.url);
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
      await control.close();
      await stack.stop();
      await rm(stackFile, { force: true });
    }
    // Ctrl-C is how `up` is meant to end: a clean teardown is a success.
    return EXIT.passed;
  } finally {
    interrupts.dispose();
  }
}
