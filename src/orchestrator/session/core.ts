/**
 * What the commands need from the engine side (engine, images, stacks, reaper, cleanup), as one
 * interface. `main` receives it as a dependency: the CLI passes `loadCore`, the CLI's own tests
 * pass a fake. Nothing here is switched by the environment.
 */
import type { Logger } from 'pino';
import type { EngineInfo } from '../engine/index.ts';
import type { ImageRequest, ResolvedImage, ResolvedImages } from '../images/index.ts';
import type { RunningStack, StackOptions } from '../stack/types.ts';

export type { EngineInfo, ImageRequest, ResolvedImage, ResolvedImages };

export interface Reaper {
  close(): Promise<void> | void;
}

export interface Core {
  checkEngine(): Promise<EngineInfo>;
  resolveImages(request: ImageRequest): Promise<ResolvedImages>;
  /** Every image a run needs and what they build on, built when missing (`images`). */
  resolveRunImages(request: ImageRequest): Promise<ResolvedImage[]>;
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

/** A way to get the core when a command first needs it. */
export type CoreLoader = () => Promise<Core>;

/** The real core, loaded on first use so `list`, `--help` and usage errors never load the engine client. */
export const loadCore: CoreLoader = async () => {
  // testcontainers reads its Ryuk image when it loads: set first (testcontainers-env.ts says why).
  const { prepareTestcontainers } = await import('../engine/testcontainers-env.ts');
  await prepareTestcontainers();
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
    resolveRunImages: images.resolveRunImages,
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
};
