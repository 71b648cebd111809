import type { Logger } from 'pino';
import { type ImageDefinition, projectImages } from './definitions.ts';
import { realImageEngine } from './engine-ops.ts';
import { createResolver, type ResolvedImage } from './resolve.ts';

export { BASE_IMAGE, type ImageDefinition, projectImages } from './definitions.ts';
export { IMAGE_LABEL } from './engine-ops.ts';
export { ImageBuildError, ImageUnavailableError } from './errors.ts';
export type { ImageSource, ResolvedImage } from './resolve.ts';
export { removeStaleImages, staleTags } from './stale.ts';

export interface ImageRequest {
  /** Explicit images (user flags / env): used as they are, pulled if absent, never built. */
  pynomaly?: string;
  postgres?: string;
  redis?: string;
  logger?: Logger;
}

export interface ResolvedImages {
  images: { pynomaly: string; postgres: string; redis: string };
  /** Milliseconds per image, dependencies included (its own build, or the presence check when cached). */
  timings: Record<string, number>;
  /** Every image resolved (dependencies too): ref, source (cached/built/pulled/explicit/waited), ms. */
  details: ResolvedImage[];
}

/** Resolve any project images by name (definitions default to containers/*). */
export async function resolveNamed(
  names: string[],
  options: {
    explicit?: Record<string, string | undefined>;
    logger?: Logger;
    definitions?: ImageDefinition[];
  } = {},
): Promise<{ requested: ResolvedImage[]; all: ResolvedImage[] }> {
  const { logger } = options;
  const resolver = createResolver(realImageEngine(logger), {
    definitions: options.definitions ?? projectImages(),
    explicit: options.explicit,
    onEvent: (e) => {
      if (e.phase === 'done' && e.source !== 'cached' && e.source !== 'explicit')
        logger?.info(
          { image: e.name, ref: e.ref, source: e.source, ms: e.ms },
          `${e.name}: ${e.source} ${e.ref} in ${e.ms} ms`,
        );
    },
  });
  const requested = await Promise.all(names.map((n) => resolver.resolve(n)));
  return { requested, all: await resolver.all() };
}

/** The stack's three images (in the order resolveImages reads them back) and the reaper's. */
const STACK_IMAGES = ['postgres', 'redis', 'pynomaly', 'reaper'] as const;

/**
 * The three images of a stack: present -> used; explicit -> pulled if absent; else built. The
 * reaper too: testcontainers starts it as its Ryuk with the stack's first container.
 */
export async function resolveImages(request: ImageRequest = {}): Promise<ResolvedImages> {
  const { logger, ...explicit } = request;
  const { requested, all } = await resolveNamed([...STACK_IMAGES], { explicit, logger });
  const [postgres, redis, pynomaly] = requested.map((d) => d.ref);
  return {
    images: { pynomaly, postgres, redis },
    timings: Object.fromEntries(all.map((d) => [d.name, d.ms])),
    details: all,
  };
}

/** Every image a run needs and the Node image the CI image builds on. */
const RUN_IMAGES = [...STACK_IMAGES, 'node'];

/** `images`: RUN_IMAGES resolved, dependencies included, in resolution order. */
export async function resolveRunImages(request: ImageRequest = {}): Promise<ResolvedImage[]> {
  const { logger, ...explicit } = request;
  return (await resolveNamed(RUN_IMAGES, { explicit, logger })).all;
}
