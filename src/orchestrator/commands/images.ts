import type { RunConfig } from '../config/types.ts';
import { checkEngine } from '../engine/index.ts';
import { resolveNamed } from '../images/index.ts';
import { commandOutput } from './output.ts';

/** Every image a run needs (the stack's three, the reaper's) and the Node image the CI image builds on. */
const RUN_IMAGES = ['postgres', 'redis', 'pynomaly', 'reaper', 'node'];

/**
 * `images`: resolve (build what is missing) every image a run needs and print one line per
 * image, dependencies included: `name ref source ms`. Used to warm a machine ahead of a run
 * and by scripts/ci-dind.sh to know what to preload into the nested engine.
 */
export async function imagesCommand(config: RunConfig): Promise<number> {
  const { logger, print } = commandOutput(config);
  await checkEngine();
  const { all } = await resolveNamed(RUN_IMAGES, { explicit: config.images, logger });
  print(all.map((image) => `${image.name}\t${image.ref}\t${image.source}\t${image.ms}`).join('\n'));
  return 0;
}
