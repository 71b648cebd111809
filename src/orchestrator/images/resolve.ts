import { BASE_IMAGE, type ImageDefinition } from './definitions.ts';
import { ImageUnavailableError } from './errors.ts';
import { createTagger } from './tags.ts';

/** What resolution needs from the engine; the real one is engine-ops.ts, tests inject fakes. */
export interface ImageEngine {
  exists(ref: string): Promise<boolean>;
  /** true when pulled; false when no registry has it (or the pull timed out). */
  pull(ref: string): Promise<boolean>;
  /** Build (staging first) and tag; throws ImageBuildError. */
  build(definition: ImageDefinition, tag: string, buildArgs: Record<string, string>): Promise<void>;
  /** Make the base image without a registry; throws ImageBuildError. */
  bootstrapBase(ref: string): Promise<void>;
  /** Hold a cross-process lock while fn runs. */
  withLock<T>(key: string, fn: () => Promise<T>): Promise<T>;
  /** Tag of a definition given the tags of what it builds FROM. */
  tagOf(definition: ImageDefinition, fromTags: string[]): Promise<string>;
}

export type ImageSource = 'cached' | 'built' | 'pulled' | 'explicit' | 'waited';

export interface ResolvedImage {
  name: string;
  ref: string;
  source: ImageSource;
  ms: number;
}

export interface ResolveOptions {
  definitions: ImageDefinition[];
  /** Explicit image names by definition name (user flags): used as they are, never built. */
  explicit?: Record<string, string | undefined>;
  onEvent?: (event: {
    name: string;
    phase: 'start' | 'done';
    ref: string;
    source?: ImageSource;
    ms?: number;
  }) => void;
}

/**
 * Resolves images by name: present locally -> use; explicit name -> present or pulled, else
 * ImageUnavailableError; otherwise built (dependencies first, the base pulled or bootstrapped).
 * Memoised per call, so shared dependencies resolve once.
 */
export function createResolver(engine: ImageEngine, options: ResolveOptions) {
  const byName = new Map(options.definitions.map((d) => [d.name, d]));
  const results = new Map<string, Promise<ResolvedImage>>();

  const definition = (name: string): ImageDefinition => {
    const found = byName.get(name);
    if (!found) throw new Error(`no image definition named '${name}'`);
    return found;
  };

  const tagOf = createTagger(options.definitions, (def, fromTags) => engine.tagOf(def, fromTags));

  const done = (name: string, ref: string, source: ImageSource, started: number): ResolvedImage => {
    const resolved = { name, ref, source, ms: Date.now() - started };
    options.onEvent?.({ name, phase: 'done', ref, source, ms: resolved.ms });
    return resolved;
  };

  const resolveExplicit = async (name: string, ref: string): Promise<ResolvedImage> => {
    const started = Date.now();
    if (await engine.exists(ref)) return done(name, ref, 'explicit', started);
    if (await engine.pull(ref)) return done(name, ref, 'pulled', started);
    throw new ImageUnavailableError(
      ref,
      `The ${name} image '${ref}' you asked for is not present and could not be pulled. Fix: make it ` +
        `available to the engine (docker pull ${ref}, or docker load / docker build -t ${ref}), or drop the ` +
        `option to let pynomaly-it build its own ${name} image.`,
    );
  };

  const resolveBase = (): Promise<ResolvedImage> => {
    const started = Date.now();
    return engine.withLock('base', async () => {
      if (await engine.exists(BASE_IMAGE)) return done('base', BASE_IMAGE, 'cached', started);
      if (await engine.pull(BASE_IMAGE)) return done('base', BASE_IMAGE, 'pulled', started);
      options.onEvent?.({ name: 'base', phase: 'start', ref: BASE_IMAGE });
      await engine.bootstrapBase(BASE_IMAGE);
      return done('base', BASE_IMAGE, 'built', started);
    });
  };

  const resolveBuilt = async (name: string): Promise<ResolvedImage> => {
    const checked = Date.now();
    const tag = await tagOf(name);
    if (await engine.exists(tag)) return done(name, tag, 'cached', checked);
    const def = definition(name);
    // A stand-in for an official image: the registry's own where one answers.
    if (def.official && (await engine.pull(tag))) return done(name, tag, 'pulled', checked);
    const deps = await Promise.all(def.from.map((f) => resolve(f.image)));
    // Timed from here: an image's time is its own build, not its dependencies'.
    const started = Date.now();
    return engine.withLock(`image-${name}`, async () => {
      // Another run may have built it while this one waited for the lock.
      if (await engine.exists(tag)) return done(name, tag, 'waited', started);
      const buildArgs: Record<string, string> = {};
      def.from.forEach((f, i) => {
        if (f.buildArg) buildArgs[f.buildArg] = deps[i].ref;
      });
      options.onEvent?.({ name, phase: 'start', ref: tag });
      await engine.build(def, tag, buildArgs);
      return done(name, tag, 'built', started);
    });
  };

  const resolve = (name: string): Promise<ResolvedImage> => {
    let result = results.get(name);
    if (!result) {
      const explicit = options.explicit?.[name];
      result = explicit
        ? resolveExplicit(name, explicit)
        : name === 'base'
          ? resolveBase()
          : resolveBuilt(name);
      results.set(name, result);
    }
    return result;
  };

  /** Everything resolved so far, dependencies included. */
  const all = () => Promise.all(results.values());

  return { resolve, tagOf, all };
}
