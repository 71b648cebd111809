import type Dockerode from 'dockerode';
import { docker } from '../engine/client.ts';
import { projectImages } from './definitions.ts';
import { IMAGE_LABEL, realImageEngine } from './engine-ops.ts';
import { createResolver } from './resolve.ts';

export interface LabelledImage {
  /** The project image it was built as (the value of the pynomaly-it.image label). */
  name: string;
  tags: string[];
}

/**
 * Tags of project images that today's sources no longer produce: every change of a build
 * context makes a new content tag and leaves the old image behind. Images of names this
 * checkout does not define (the CI image, test fixtures) are not ours to judge.
 */
export function staleTags(images: readonly LabelledImage[], current: ReadonlyMap<string, string>): string[] {
  return images.flatMap((image) => {
    const keep = current.get(image.name);
    if (keep === undefined) return [];
    const [repository] = keep.split(':');
    return image.tags.filter((tag) => tag !== keep && tag.split(':')[0] === repository);
  });
}

/** The current content tag of every project image (from sources alone, no engine call). */
async function currentTags(): Promise<Map<string, string>> {
  const definitions = projectImages();
  const resolver = createResolver(realImageEngine(), { definitions });
  const tags = await Promise.all(definitions.map((d) => resolver.tagOf(d.name)));
  return new Map(definitions.map((d, i) => [d.name, tags[i]]));
}

/** Removes stale project image tags; one a container still uses stays (the engine refuses). */
export async function removeStaleImages(engine?: Dockerode): Promise<string[]> {
  const client = engine ?? (await docker());
  const listed = await client.listImages({ filters: { label: [IMAGE_LABEL] } });
  const images = listed.map((i) => ({ name: i.Labels?.[IMAGE_LABEL] ?? '', tags: i.RepoTags ?? [] }));
  const removed: string[] = [];
  for (const tag of staleTags(images, await currentTags())) {
    try {
      await client.getImage(tag).remove();
      removed.push(tag);
    } catch {
      // In use by a container, or already gone: the next clean tries again.
    }
  }
  return removed;
}
