/**
 * Everything a part starts on the engine carries its run's labels (pynomaly-it.run=<runId>); the
 * part's reaper removes them if this process dies, and `close` removes them by that label at the
 * end. Nothing else on the engine is touched.
 */
import { type Core, loadCore, type ResolvedImages } from '../../src/orchestrator/session/core.ts';
import { runLabels } from '../../src/orchestrator/stack/labels.ts';

export interface Scope {
  core: Core;
  runId: string;
  images: ResolvedImages['images'];
  /** `--label k=v` arguments for a `docker` command. */
  labelArgs(role: string): string[];
  close(): Promise<void>;
}

const open = new Set<Scope>();

/** On Ctrl-C or TERM: remove every open scope's resources, then exit. */
let handlersInstalled = false;
function installHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => {
      process.stderr.write(`bench: ${signal}, removing what this run started\n`);
      void Promise.allSettled([...open].map((s) => s.close())).then(() => process.exit(130));
    });
}

export async function openScope(part: string): Promise<Scope> {
  const core = await loadCore();
  await core.checkEngine();
  const { images } = await core.resolveImages({});
  const runId = `bench${part.replace(/[^a-z]/g, '')}${Date.now().toString(36)}`;
  const reaper = await core.startReaper(runId);
  let closing: Promise<void> | undefined;
  const scope: Scope = {
    core,
    runId,
    images,
    labelArgs: (role) =>
      Object.entries(runLabels(runId, `bench-${part}`, role)).flatMap(([k, v]) => ['--label', `${k}=${v}`]),
    close() {
      closing ??= (async () => {
        open.delete(scope);
        await core.removeRun(runId).catch(() => undefined);
        await reaper.close();
      })();
      return closing;
    },
  };
  open.add(scope);
  installHandlers();
  return scope;
}
