/**
 * The one place the runner calls into the core (engine, images, stack, reaper, cleanup).
 * Everything else in the runner imports from here, so a renamed export is fixed in this file only.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Logger } from 'pino';
import type { EngineInfo } from '../engine/index.ts';
import type { ImageRequest, ResolvedImages } from '../images/index.ts';
import type { RunningStack, StackOptions } from '../stack/types.ts';

export type { EngineInfo, ImageRequest, ResolvedImages };

export interface Reaper {
  close(): Promise<void> | void;
}

export interface CoreModules {
  checkEngine(): Promise<EngineInfo>;
  resolveImages(request: ImageRequest): Promise<ResolvedImages>;
  startStack(options: StackOptions): Promise<RunningStack>;
  startReaper(runId: string, options?: { logger?: Logger }): Promise<Reaper>;
  cleanOrphans(): Promise<unknown>;
  /** Image tags of this tool that no current source makes; returns what was removed. */
  removeStaleImages(): Promise<string[]>;
  removeRun(runId: string): Promise<unknown>;
  /** The engine's ID of an image (sha256:...), so a repro command cannot pick up a rebuilt tag. */
  imageId(ref: string): Promise<string>;
  /** Engine down, image build failed: exit 2 with the message, no stack trace. */
  isSetupError(error: unknown): boolean;
}

async function loadReal(): Promise<CoreModules> {
  // Loaded lazily so `list`, `--help` and usage errors never load the engine client.
  const [engine, images, stack, reaper, cleanup] = await Promise.all([
    import('../engine/index.ts'),
    import('../images/index.ts'),
    import('../stack/index.ts'),
    import('../reaper/index.ts'),
    import('../cleanup/index.ts'),
  ]);
  return {
    checkEngine: engine.checkEngine,
    resolveImages: images.resolveImages,
    startStack: stack.startStack,
    startReaper: reaper.startReaper,
    cleanOrphans: cleanup.cleanOrphans,
    removeStaleImages: () => images.removeStaleImages(),
    removeRun: cleanup.removeRun,
    imageId: async (ref) => {
      try {
        return (await (await engine.docker()).getImage(ref).inspect()).Id;
      } catch {
        return ref;
      }
    },
    isSetupError: (error) =>
      error instanceof engine.EngineUnavailableError || error instanceof images.ImageBuildError,
  };
}

/** A replacement core (orchestrator tests): one module exporting the same functions and error classes. */
async function loadOverride(path: string): Promise<CoreModules> {
  const m = (await import(pathToFileURL(resolve(path)).href)) as Record<string, unknown>;
  const setupErrors = ['EngineUnavailableError', 'ImageBuildError']
    .map((n) => m[n])
    .filter((c): c is new (...args: never[]) => Error => typeof c === 'function');
  const fake = m as unknown as Omit<CoreModules, 'isSetupError' | 'imageId' | 'removeStaleImages'> &
    Partial<Pick<CoreModules, 'imageId' | 'removeStaleImages'>>;
  return {
    ...fake,
    imageId: fake.imageId ?? (async (ref: string) => ref),
    removeStaleImages: fake.removeStaleImages ?? (async () => []),
    isSetupError: (error) => setupErrors.some((c) => error instanceof c),
  };
}

let cached: Promise<CoreModules> | undefined;
let override: string | undefined;

/** Tests of the orchestrator replace the core with a fake module (RunConfig.coreModule). */
export function useCoreModule(path: string | undefined): void {
  override = path;
  cached = undefined;
}

export function core(): Promise<CoreModules> {
  cached ??= override ? loadOverride(override) : loadReal();
  return cached;
}
