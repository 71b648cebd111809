import type { RunConfig } from '../config/types.ts';
import type { CommandDeps } from '../session/deps.ts';
import { commandOutput } from './output.ts';

/** `clean`: remove every resource of this tool whose run is gone, and stale image tags; print what went. */
export async function cleanCommand(config: RunConfig, deps: CommandDeps): Promise<number> {
  const { logger, print } = commandOutput(config);
  const glue = await deps.core();
  await glue.checkEngine();
  const removed = await glue.cleanOrphans();
  print(describeRemoved(removed));
  // Old content tags pile up with every change of a build context: drop those no source makes now.
  const images = await glue.removeStaleImages();
  print(
    images.length
      ? `clean: removed stale images\n${images.map((t) => `  ${t}`).join('\n')}`
      : 'clean: no stale images',
  );
  logger.debug({ removed, images }, 'clean done');
  return 0;
}

/** The core helper's report of removed resources, whatever its exact shape, as lines. */
export function describeRemoved(removed: unknown): string {
  if (removed === undefined || removed === null) return 'clean: done';
  if (Array.isArray(removed))
    return removed.length === 0
      ? 'clean: nothing to remove'
      : `clean: removed\n${removed.map((r) => `  ${typeof r === 'string' ? r : JSON.stringify(r)}`).join('\n')}`;
  if (typeof removed === 'object') {
    const values = Object.values(removed as Record<string, unknown>);
    if (values.every((v) => Array.isArray(v) && v.length === 0)) return 'clean: nothing to remove';
    const lines = Object.entries(removed as Record<string, unknown>).map(([kind, items]) =>
      Array.isArray(items)
        ? `  ${kind}: ${items.length}${items.length ? ` (${items.map((i) => (typeof i === 'string' ? i : JSON.stringify(i))).join(', ')})` : ''}`
        : `  ${kind}: ${JSON.stringify(items)}`,
    );
    return `clean: removed\n${lines.join('\n')}`;
  }
  return `clean: ${String(removed)}`;
}
