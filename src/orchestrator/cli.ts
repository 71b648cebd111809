#!/usr/bin/env -S npx tsx
/** pynomaly-it: `tsx src/orchestrator/cli.ts [run|health|up|clean|list|images|flakes] [flags]`. */
import { exitSoon, main } from './main.ts';
import { loadCore } from './session/core.ts';

exitSoon(
  await main(process.argv.slice(2), process.env, {
    core: loadCore,
    selfCommand: [...process.execArgv, process.argv[1]],
  }),
);
