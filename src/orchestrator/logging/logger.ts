import { Writable } from 'node:stream';
import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';
import type { LogFormat, LogLevel } from '../config/types.ts';

export type { Logger };

export interface LoggerOptions {
  level: LogLevel;
  format: LogFormat;
  /** Where console lines go (the live view prints them above its table). */
  sink: (text: string) => void;
  /** Also write every line, as JSON at debug level, to this file. */
  file?: string;
  colorize?: boolean;
}

/** pino: human-readable on a terminal, JSON lines in CI; plus a JSON file in the reports. */
export function createLogger(options: LoggerOptions): Logger {
  const console =
    options.format === 'pretty'
      ? pretty({
          colorize: options.colorize ?? false,
          sync: true,
          ignore: 'pid,hostname',
          hideObject: true,
          translateTime: 'HH:MM:ss',
          destination: new Writable({
            write(chunk, _encoding, done) {
              options.sink(String(chunk));
              done();
            },
          }),
        })
      : { write: (line: string) => options.sink(line) };
  const streams: pino.StreamEntry[] = [{ level: options.level, stream: console }];
  if (options.file)
    streams.push({
      level: 'debug',
      stream: pino.destination({ dest: options.file, sync: true, mkdir: true }),
    });
  return pino({ level: 'debug', base: undefined }, pino.multistream(streams));
}

/** Message of an error, with its stack only when debugging. */
export function describeError(error: unknown, level: LogLevel): string {
  if (!(error instanceof Error)) return String(error);
  return level === 'debug' && error.stack ? error.stack : error.message;
}
