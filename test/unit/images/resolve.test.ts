import { describe, expect, test } from 'vitest';
import { BASE_IMAGE, type ImageDefinition } from '../../../src/orchestrator/images/definitions.ts';
import { ImageBuildError, ImageUnavailableError } from '../../../src/orchestrator/images/errors.ts';
import { createResolver, type ImageEngine } from '../../../src/orchestrator/images/resolve.ts';

const definitions: ImageDefinition[] = [
  { name: 'postgres', dir: '/x/postgres', from: [{ image: 'base' }] },
  { name: 'node-runtime', dir: '/x/node-runtime', from: [{ image: 'base' }] },
  { name: 'pynomaly', dir: '/x/pynomaly', from: [{ image: 'node-runtime', buildArg: 'NODE_IMAGE' }] },
];

/** An engine holding `present` images; records what it was asked to do. */
function fakeEngine(present: string[], pullable: string[] = []) {
  const images = new Set(present);
  const calls: string[] = [];
  const engine: ImageEngine = {
    async exists(ref) {
      return images.has(ref);
    },
    async pull(ref) {
      calls.push(`pull ${ref}`);
      if (!pullable.includes(ref)) return false;
      images.add(ref);
      return true;
    },
    async build(_def, tag, buildArgs) {
      calls.push(
        `build ${tag}${Object.entries(buildArgs)
          .map(([k, v]) => ` ${k}=${v}`)
          .join('')}`,
      );
      images.add(tag);
    },
    async bootstrapBase(ref) {
      calls.push(`bootstrap ${ref}`);
      images.add(ref);
    },
    withLock: (_key, fn) => fn(),
    async tagOf(def, fromTags) {
      return `pynomaly-it/${def.name}:${fromTags.join('+').length.toString(16).padStart(12, '0')}`;
    },
  };
  return { engine, calls, images };
}

describe('image resolution order', () => {
  test('everything present: nothing is built or pulled, not even the base is checked', async () => {
    const tags = createResolver(fakeEngine([]).engine, { definitions });
    const present = await Promise.all(['postgres', 'pynomaly'].map((n) => tags.tagOf(n)));
    const { engine, calls } = fakeEngine(present);
    const resolver = createResolver(engine, { definitions });
    const resolved = await Promise.all(['postgres', 'pynomaly'].map((n) => resolver.resolve(n)));
    expect(resolved.map((r) => r.source)).toEqual(['cached', 'cached']);
    expect(calls).toEqual([]);
  });

  test('missing everything: the base is pulled, else bootstrapped, then dependencies build before dependants', async () => {
    const { engine, calls } = fakeEngine([]);
    const resolver = createResolver(engine, { definitions });
    const pynomaly = await resolver.resolve('pynomaly');
    const runtimeTag = await resolver.tagOf('node-runtime');
    expect(calls).toEqual([
      `pull ${BASE_IMAGE}`,
      `bootstrap ${BASE_IMAGE}`,
      `build ${runtimeTag}`,
      `build ${pynomaly.ref} NODE_IMAGE=${runtimeTag}`,
    ]);
    expect(pynomaly.source).toBe('built');
  });

  test('a pullable base is pulled, not bootstrapped', async () => {
    const { engine, calls } = fakeEngine([], [BASE_IMAGE]);
    await createResolver(engine, { definitions }).resolve('postgres');
    expect(calls.filter((c) => c.startsWith('bootstrap'))).toEqual([]);
    expect(calls[0]).toBe(`pull ${BASE_IMAGE}`);
  });

  test('a shared dependency resolves once', async () => {
    const { engine, calls } = fakeEngine([BASE_IMAGE]);
    const resolver = createResolver(engine, {
      definitions: [
        ...definitions,
        { name: 'reaper', dir: '/x/reaper', from: [{ image: 'node-runtime', buildArg: 'NODE_IMAGE' }] },
      ],
    });
    await Promise.all([resolver.resolve('pynomaly'), resolver.resolve('reaper')]);
    expect(
      calls.filter((c) => c.includes('node-runtime:') && c.startsWith('build pynomaly-it/node-runtime')),
    ).toHaveLength(1);
  });

  test('an explicit image is used when present, pulled when absent, never built', async () => {
    const { engine, calls } = fakeEngine(['postgres:15'], ['redis:7']);
    const resolver = createResolver(engine, {
      definitions: [...definitions, { name: 'redis', dir: '/x/redis', from: [{ image: 'base' }] }],
      explicit: { postgres: 'postgres:15', redis: 'redis:7' },
    });
    expect(await resolver.resolve('postgres')).toMatchObject({ ref: 'postgres:15', source: 'explicit' });
    expect(await resolver.resolve('redis')).toMatchObject({ ref: 'redis:7', source: 'pulled' });
    expect(calls).toEqual(['pull redis:7']);
  });

  test('an explicit image neither present nor pullable is an ImageUnavailableError (a setup error)', async () => {
    const { engine } = fakeEngine([]);
    const resolver = createResolver(engine, { definitions, explicit: { postgres: 'postgres:99' } });
    const error = await resolver.resolve('postgres').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImageUnavailableError);
    expect(error).toBeInstanceOf(ImageBuildError);
    expect((error as Error).message).toContain("'postgres:99'");
  });

  test('an image another run built while this one waited for the lock is not built again', async () => {
    const { engine, calls, images } = fakeEngine([BASE_IMAGE]);
    const resolver = createResolver(
      {
        ...engine,
        withLock: async (_k, fn) => {
          images.add(await resolver.tagOf('postgres'));
          return fn();
        },
      },
      { definitions },
    );
    expect((await resolver.resolve('postgres')).source).toBe('waited');
    expect(calls).toEqual([]);
  });
});
