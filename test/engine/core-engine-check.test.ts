import { describe, expect, test } from 'vitest';
import { checkEngine, EngineUnavailableError } from '../../src/orchestrator/engine/index.ts';
import { sourceTag } from '../../src/orchestrator/images/tags.ts';

describe('engine detection', () => {
  // First: the engine client is cached once it connects, and a dead DOCKER_HOST must never connect.
  test('a DOCKER_HOST on a dead socket gives EngineUnavailableError quickly, with the fix and no stack', async () => {
    const saved = process.env.DOCKER_HOST;
    process.env.DOCKER_HOST = 'unix:///tmp/nonexistent.sock';
    const started = Date.now();
    try {
      const error = await checkEngine().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(EngineUnavailableError);
      const message = (error as Error).message;
      expect(message).toContain('unix:///tmp/nonexistent.sock');
      expect(message).toContain('npm run setup');
      expect(message).toContain('DOCKER_HOST');
      expect(message).not.toContain('\n');
      expect((error as Error).stack).not.toMatch(/\n\s+at /);
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      if (saved === undefined) delete process.env.DOCKER_HOST;
      else process.env.DOCKER_HOST = saved;
    }
  });

  test('the running engine answers with its versions', async () => {
    const info = await checkEngine();
    expect(info.version).toMatch(/^\d+\.\d+/);
    expect(info.apiVersion).toMatch(/^1\.\d+$/);
    expect(info.dockerHost).toMatch(/^(unix|tcp):\/\//);
    // testcontainers' Ryuk is on, and is our reaper (test/engine/setup.ts prepared it as loadCore does).
    expect(process.env.TESTCONTAINERS_RYUK_DISABLED).toBeUndefined();
    expect(process.env.RYUK_CONTAINER_IMAGE).toBe(await sourceTag('reaper'));
  });
});
