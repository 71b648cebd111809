import { describe, expect, test } from 'vitest';
import { configureTestcontainers } from '../../../src/orchestrator/engine/testcontainers-env.ts';

describe('where testcontainers reaches published ports', () => {
  test.each([
    ['tcp://127.0.0.1:2375', '127.0.0.1'],
    ['tcp://localhost:40001', '127.0.0.1'],
    ['tcp://10.0.0.5:2375', undefined],
    ['tcp://build-host.example:2376', undefined],
  ])('DOCKER_HOST=%s: loopback only for an engine on our loopback (%s)', (dockerHost, expected) => {
    const env: NodeJS.ProcessEnv = { DOCKER_HOST: dockerHost };
    configureTestcontainers(env);
    expect(env.TESTCONTAINERS_HOST_OVERRIDE).toBe(expected);
  });

  test('a value the user set is kept', () => {
    const env: NodeJS.ProcessEnv = { DOCKER_HOST: 'tcp://127.0.0.1:2375', TESTCONTAINERS_HOST_OVERRIDE: 'h' };
    configureTestcontainers(env);
    expect(env.TESTCONTAINERS_HOST_OVERRIDE).toBe('h');
  });
});
