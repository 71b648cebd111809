import type { RunConfig } from '../config/types.ts';
import type { CommandDeps } from '../session/deps.ts';
import { commandOutput } from './output.ts';

/**
 * `images`: resolve (build what is missing) every image a run needs and print one line per
 * image, dependencies included: `name ref source ms`. Used to warm a machine ahead of a run
 * and by scripts/ci-dind.sh to know what to preload into the nested engine.
 */
export async function imagesCommand(config: RunConfig, deps: CommandDeps): Promise<number> {
  const { logger, print } = commandOutput(config);
  const core = await deps.core();
  await core.checkEngine();
  const all = await core.resolveRunImages({ ...config.images, logger });
  print(all.map((image) => `${image.name}\t${image.ref}\t${image.source}\t${image.ms}`).join('\n'));
  return 0;
}
