import type { RunConfig } from '../config/types.ts';
import { createLogger, type Logger } from '../logging/logger.ts';
import { LiveView } from '../progress/live-view.ts';

export interface CommandOutput {
  logger: Logger;
  /** Present on a terminal (not CI): the table of suites. */
  liveView?: LiveView;
  /** Plain text for the user (summary, tables): stdout. */
  print(text: string): void;
}

/** Logger and console for a command: JSON lines on stdout in CI, pretty on stderr on a terminal. */
export function commandOutput(
  config: RunConfig,
  options: { logFile?: string; live?: boolean } = {},
): CommandOutput {
  const liveView = options.live && config.interactive ? new LiveView(process.stderr) : undefined;
  const sink =
    config.logFormat === 'json'
      ? (text: string) => process.stdout.write(text)
      : liveView
        ? (text: string) => liveView.print(text)
        : (text: string) => process.stderr.write(text);
  const logger = createLogger({
    level: config.logLevel,
    format: config.logFormat,
    sink,
    file: options.logFile,
    colorize: config.interactive,
  });
  const print = (text: string) => {
    if (liveView) liveView.print(text);
    else process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  };
  return { logger, liveView, print };
}
