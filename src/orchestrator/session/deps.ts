import type { CoreLoader } from './core.ts';

/**
 * What a command gets from outside besides its config: passed in by the entry point (`cli.ts`
 * for users; the CLI's tests pass a fake core and their own suites), never looked up.
 */
export interface CommandDeps {
  core: CoreLoader;
  /** The command line after the program name, as typed (run.json records it). */
  argv: readonly string[];
  /** Suites folder other than src/suites (with its own vitest.config.ts): the CLI's tests. */
  suitesRoot?: string;
  /** How to start this same program again (`flakes` runs `run` in a child): node arguments and script. */
  selfCommand: readonly string[];
}
