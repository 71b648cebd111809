#!/usr/bin/env -S npx tsx
/**
 * pynomaly-it: `tsx src/orchestrator/cli.ts [run|health|up|clean|list|images] [flags]`.
 * Exit codes: 0 passed, 1 a test failed, 2 set-up or usage error, 130 interrupted.
 */
import { cleanCommand } from './commands/clean.ts';
import { flakesCommand } from './commands/flakes.ts';
import { healthCommand } from './commands/health.ts';
import { imagesCommand } from './commands/images.ts';
import { listCommand } from './commands/list.ts';
import { runCommand } from './commands/run.ts';
import { upCommand } from './commands/up.ts';
import { EXIT, UsageError } from './config/errors.ts';
import { parseConfig } from './config/parse.ts';
import type { RunConfig } from './config/types.ts';
import { useCoreModule } from './runner/core-glue.ts';

async function dispatch(config: RunConfig): Promise<number> {
  if (config.list) return listCommand();
  switch (config.command) {
    case 'run':
      return runCommand(config);
    case 'health':
      return healthCommand(config);
    case 'up':
      return upCommand(config);
    case 'clean':
      return cleanCommand(config);
    case 'list':
      return listCommand();
    case 'images':
      return imagesCommand(config);
    case 'flakes':
      return flakesCommand(config);
  }
}

/** Set-up errors from the core (engine down, image build failed): one paragraph, no stack trace. */
function oneParagraph(error: unknown, debug: boolean): string {
  if (!(error instanceof Error)) return String(error);
  const text = debug && error.stack ? error.stack : error.message;
  return `pynomaly-it: ${text}\n`;
}

export async function main(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  let config: RunConfig | undefined;
  try {
    const outcome = parseConfig(argv, env);
    if (outcome.kind === 'output') {
      process.stdout.write(`${outcome.text}\n`);
      return EXIT.passed;
    }
    config = outcome.config;
    useCoreModule(config.coreModule);
    return await dispatch(config);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`pynomaly-it: ${error.message}\nRun with --help for usage.\n`);
      return EXIT.setupOrUsage;
    }
    process.stderr.write(oneParagraph(error, config?.logLevel === 'debug'));
    return EXIT.setupOrUsage;
  }
}

const code = await main(process.argv.slice(2), process.env);
// Let pending writes (stdout pipes) drain; then leave even if a handle (a socket) is still open.
process.exitCode = code;
setTimeout(() => process.exit(code), 200).unref();
