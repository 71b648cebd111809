import { describe, expect, test } from 'vitest';
import {
  configureTestcontainers,
  ryukUsable,
  testcontainersPrepared,
} from '../../../src/orchestrator/engine/testcontainers-env.ts';
import { sourceTag } from '../../../src/orchestrator/images/tags.ts';

const REAPER = 'pynomaly-it/reaper:0123456789ab';

describe('where testcontainers reaches published ports', () => {
  test.each([
    ['tcp://127.0.0.1:2375', '127.0.0.1'],
    ['tcp://localhost:40001', '127.0.0.1'],
    ['tcp://10.0.0.5:2375', undefined],
    ['tcp://build-host.example:2376', undefined],
  ])('DOCKER_HOST=%s: loopback only for an engine on our loopback (%s)', (dockerHost, expected) => {
    const env: NodeJS.ProcessEnv = { DOCKER_HOST: dockerHost };
    configureTestcontainers(env, { reaperImage: REAPER });
    expect(env.TESTCONTAINERS_HOST_OVERRIDE).toBe(expected);
  });

  test('a value the user set is kept', () => {
    const env: NodeJS.ProcessEnv = { DOCKER_HOST: 'tcp://127.0.0.1:2375', TESTCONTAINERS_HOST_OVERRIDE: 'h' };
    configureTestcontainers(env, { reaperImage: REAPER });
    expect(env.TESTCONTAINERS_HOST_OVERRIDE).toBe('h');
  });
});

describe("testcontainers' Ryuk", () => {
  test('is our reaper image, and stays on', () => {
    const env: NodeJS.ProcessEnv = {};
    expect(testcontainersPrepared(env), 'not yet told: it would pull its own').toBe(false);
    configureTestcontainers(env, { reaperImage: REAPER });
    expect(env.RYUK_CONTAINER_IMAGE).toBe(REAPER);
    expect(env.TESTCONTAINERS_RYUK_DISABLED).toBeUndefined();
    expect(testcontainersPrepared(env)).toBe(true);
  });

  test("the user's own Ryuk image, or Ryuk turned off, is kept", () => {
    const own: NodeJS.ProcessEnv = { RYUK_CONTAINER_IMAGE: 'registry.example/ryuk:1' };
    configureTestcontainers(own, { reaperImage: REAPER });
    expect(own.RYUK_CONTAINER_IMAGE).toBe('registry.example/ryuk:1');
    expect(testcontainersPrepared({ TESTCONTAINERS_RYUK_DISABLED: 'true' })).toBe(true);
  });

  test("the reaper's tag comes from its sources, with no engine", async () => {
    expect(await sourceTag('reaper')).toMatch(/^pynomaly-it\/reaper:[0-9a-f]{12}$/);
    expect(await sourceTag('reaper'), 'stable for the same sources').toBe(await sourceTag('reaper'));
  });

  test.each([
    [{ DOCKER_HOST: 'tcp://127.0.0.1:2375' }, 'published', false],
    [
      { DOCKER_HOST: 'tcp://127.0.0.1:2375', TESTCONTAINERS_DOCKER_SOCKET_OVERRIDE: '/run/e.sock' },
      'published',
      true,
    ],
    [{ DOCKER_HOST: 'tcp://10.0.0.5:2375' }, 'published', true],
    [{ DOCKER_HOST: 'unix:///tmp/e/docker.sock' }, 'published', true],
    [{}, 'published', true],
    [{}, 'network', false],
  ] as const)(
    "%o, stacks reached %s: usable %s (not for a tcp:// engine on loopback whose socket nobody named, nor for a runner on the stacks' networks)",
    (env, reach, usable) => {
      expect(ryukUsable(env, reach)).toBe(usable);
    },
  );
});
