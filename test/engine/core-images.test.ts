import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import {
  ImageBuildError,
  type ImageDefinition,
  ImageUnavailableError,
  resolveImages,
  resolveNamed,
} from '../../src/orchestrator/images/index.ts';

const scratch = mkdtempSync(join(tmpdir(), 'pit-core-images-'));
const createdImages: string[] = [];

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
  // Only the images this file made for itself.
  for (const image of createdImages)
    execFileSync('docker', ['image', 'rm', '-f', image], { stdio: 'ignore' });
});

/** A throwaway image folder with a unique file, so its tag is new and it must be built. */
function throwawayImage(name: string, dockerfile: string): ImageDefinition {
  const dir = join(scratch, name);
  cpSync(join(import.meta.dirname, '../../containers/redis'), dir, { recursive: true });
  writeFileSync(join(dir, 'Dockerfile'), dockerfile);
  writeFileSync(join(dir, 'unique.txt'), `${Date.now()} ${Math.random()}`);
  return { name, dir, from: [{ image: 'base' }] };
}

describe('image resolution against the real engine', () => {
  test('postgres, redis and node-runtime resolve; a second resolution builds nothing and takes < 5 s', async () => {
    const first = await resolveNamed(['postgres', 'redis', 'node-runtime']);
    for (const image of first.requested) expect(image.ref).toMatch(/^pynomaly-it\/[a-z-]+:[0-9a-f]{12}$/);
    const started = Date.now();
    const second = await resolveNamed(['postgres', 'redis', 'node-runtime']);
    const elapsed = Date.now() - started;
    expect(second.all.map((i) => i.source)).toEqual(['cached', 'cached', 'cached']);
    expect(second.requested.map((i) => i.ref)).toEqual(first.requested.map((i) => i.ref));
    expect(elapsed).toBeLessThan(5_000);
    const labels = JSON.parse(
      execFileSync(
        'docker',
        ['image', 'inspect', second.requested[0].ref, '--format', '{{json .Config.Labels}}'],
        {
          encoding: 'utf8',
        },
      ),
    );
    expect(labels['pynomaly-it.image']).toBe('postgres');
  });

  test('two resolutions at once build a missing image once; the other waits and uses it', async () => {
    const def = throwawayImage('concurrent', 'FROM debian:bookworm-slim\nCOPY unique.txt /unique.txt\n');
    const [a, b] = await Promise.all([
      resolveNamed(['concurrent'], { definitions: [def] }),
      resolveNamed(['concurrent'], { definitions: [def] }),
    ]);
    createdImages.push(a.requested[0].ref);
    expect(a.requested[0].ref).toBe(b.requested[0].ref);
    expect([a.requested[0].source, b.requested[0].source].sort()).toEqual(['built', 'waited']);
  });

  test('a failing build throws ImageBuildError with the image, the last lines and a fix', async () => {
    const def = throwawayImage(
      'broken',
      'FROM debian:bookworm-slim\nRUN echo marker-before-failure && exit 3\n',
    );
    const error = await resolveNamed(['broken'], { definitions: [def] }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ImageBuildError);
    const message = (error as Error).message;
    expect(message).toContain('pynomaly-it/broken:');
    expect(message).toContain('marker-before-failure');
    expect(message).toContain('Fix:');
  });

  test('an explicit image that is neither present nor pullable is an ImageUnavailableError naming it', async () => {
    const error = await resolveImages({ postgres: 'pynomaly-it-test/absent:none' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ImageUnavailableError);
    expect(error).toBeInstanceOf(ImageBuildError);
    expect((error as Error).message).toContain("'pynomaly-it-test/absent:none'");
  });

  test('an explicit image that is present is used as it is', async () => {
    const { requested } = await resolveNamed(['postgres', 'redis']);
    const [postgres] = requested;
    const { requested: explicit } = await resolveNamed(['postgres'], {
      explicit: { postgres: postgres.ref },
    });
    expect(explicit[0]).toMatchObject({ ref: postgres.ref, source: 'explicit' });
  });
});
