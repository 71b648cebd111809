import { describe, expect, test } from 'vitest';
import { BASE_IMAGE, type ImageDefinition } from '../../../src/orchestrator/images/definitions.ts';
import { createResolver, type ImageEngine } from '../../../src/orchestrator/images/resolve.ts';

const NODE = 'node:24.11.1-bookworm-slim';
const definitions: ImageDefinition[] = [
  { name: 'node', dir: '/x/node', from: [{ image: 'base' }], official: NODE },
];

function fakeEngine(present: string[], pullable: string[] = []) {
  const images = new Set(present);
  const calls: string[] = [];
  const engine: ImageEngine = {
    exists: async (ref) => images.has(ref),
    async pull(ref) {
      calls.push(`pull ${ref}`);
      if (pullable.includes(ref)) images.add(ref);
      return pullable.includes(ref);
    },
    async build(_def, tag) {
      calls.push(`build ${tag}`);
      images.add(tag);
    },
    async bootstrapBase(ref) {
      calls.push(`bootstrap ${ref}`);
      images.add(ref);
    },
    withLock: (_key, fn) => fn(),
    tagOf: async (def) => `pynomaly-it/${def.name}:000000000000`,
  };
  return { engine, calls };
}

describe('a stand-in for an official image', () => {
  test('is tagged with the official name, not a content tag', async () => {
    const { engine } = fakeEngine([]);
    expect(await createResolver(engine, { definitions }).tagOf('node')).toBe(NODE);
  });

  test('present: used as it is', async () => {
    const { engine, calls } = fakeEngine([NODE]);
    expect((await createResolver(engine, { definitions }).resolve('node')).source).toBe('cached');
    expect(calls).toEqual([]);
  });

  test('where a registry has it: pulled, nothing built', async () => {
    const { engine, calls } = fakeEngine([], [NODE]);
    expect((await createResolver(engine, { definitions }).resolve('node')).source).toBe('pulled');
    expect(calls).toEqual([`pull ${NODE}`]);
  });

  test('where none has it: built from its folder on the base, under the official name', async () => {
    const { engine, calls } = fakeEngine([]);
    const resolved = await createResolver(engine, { definitions }).resolve('node');
    expect(resolved).toMatchObject({ ref: NODE, source: 'built' });
    expect(calls).toEqual([`pull ${NODE}`, `pull ${BASE_IMAGE}`, `bootstrap ${BASE_IMAGE}`, `build ${NODE}`]);
  });
});
