/**
 * The CLI as a function: argv and environment in, exit code out. Exit codes: 0 passed, 1 a test
 * failed, 2 set-up or usage error, 130 interrupted. The engine side comes in through `deps`.
 */
import { cleanCommand } from './commands/clean.ts';
import { flakesCommand } from './commands/flakes.ts';
import { healthCommand } from './commands/health.ts';
import { imagesCommand } from './commands/images.ts';
import { listCommand } from './commands/list.ts';
import { mergeReportsCommand } from './commands/merge-reports.ts';
import { runCommand } from './commands/run.ts';
import { upCommand } from './commands/up.ts';
import { EXIT, UsageError } from './config/errors.ts';
import { parseConfig } from './config/parse.ts';
import type { RunConfig } from './config/types.ts';
import type { CommandDeps } from './session/deps.ts';

export type { CommandDeps };

async function dispatch(config: RunConfig, deps: CommandDeps): Promise<number> {
  if (config.list) return listCommand();
  switch (config.command) {
    case 'run':
      return runCommand(config, deps);
    case 'health':
      return healthCommand(config, deps);
    case 'up':
      return upCommand(config, deps);
    case 'clean':
      return cleanCommand(config, deps);
    case 'list':
      return listCommand();
    case 'images':
      return imagesCommand(config, deps);
    case 'flakes':
      return flakesCommand(config, deps);
    case 'merge-reports':
      return mergeReportsCommand(config);
  }
}

/** Set-up errors from the core (engine down, image build failed): one paragraph, no stack trace. */
function oneParagraph(error: unknown, debug: boolean): string {
  if (!(error instanceof Error)) return String(error);
  const text = debug && error.stack ? error.stack : error.message;
  return `pynomaly-it: ${text}\n`;
}

export async function main(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  deps: Omit<CommandDeps, 'argv'>,
): Promise<number> {
  let config: RunConfig | undefined;
  try {
    const outcome = parseConfig(argv, env);
    if (outcome.kind === 'output') {
      process.stdout.write(`${outcome.text}\n`);
      return EXIT.passed;
    }
    config = outcome.config;
    return await dispatch(config, { ...deps, argv });
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`pynomaly-it: ${error.message}\nRun with --help for usage.\n`);
      return EXIT.setupOrUsage;
    }
    process.stderr.write(oneParagraph(error, config?.logLevel === 'debug'));
    return EXIT.setupOrUsage;
  }
}

/** Exit with `code` once pending writes (stdout pipes) drained, even if a handle (a socket) stays open. */
export function exitSoon(code: number): void {
  process.exitCode = code;
  setTimeout(() => process.exit(code), 200).unref();
}
