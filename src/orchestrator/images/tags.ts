/**
 * Image tags from sources alone: no engine call. The resolver uses them so that a warm run checks
 * only what it uses; `sourceTag` lets a caller name an image before anything talks to the engine
 * (testcontainers reads its reaper image when it loads).
 */
import { imageTag } from './content-hash.ts';
import { BASE_IMAGE, type ImageDefinition, projectImages } from './definitions.ts';

/** A definition's tag given the tags of what it builds FROM (and dependencies locked outside its folder). */
export function definitionTag(definition: ImageDefinition, fromTags: string[]): Promise<string> {
  const locked = definition.lockedDependencies?.();
  return imageTag(
    definition.name,
    definition.dir,
    [...fromTags, ...(locked ? [locked] : [])],
    definition.skip,
  );
}

/** Tags by image name, memoised; an image's tag covers the tags of its FROM chain. */
export function createTagger(
  definitions: readonly ImageDefinition[],
  tagOfDefinition: (definition: ImageDefinition, fromTags: string[]) => Promise<string>,
): (name: string) => Promise<string> {
  const byName = new Map(definitions.map((d) => [d.name, d]));
  const tags = new Map<string, Promise<string>>();
  const tagOf = (name: string): Promise<string> => {
    if (name === 'base') return Promise.resolve(BASE_IMAGE);
    const def = byName.get(name);
    if (!def) throw new Error(`no image definition named '${name}'`);
    if (def.official) return Promise.resolve(def.official);
    let tag = tags.get(name);
    if (!tag) {
      tag = Promise.all(def.from.map((f) => tagOf(f.image))).then((fromTags) =>
        tagOfDefinition(def, fromTags),
      );
      tags.set(name, tag);
    }
    return tag;
  };
  return tagOf;
}

/** The tag the project's image `name` has for the sources in this checkout. */
export function sourceTag(name: string): Promise<string> {
  return createTagger(projectImages(), definitionTag)(name);
}
