import { describe, expect, test } from 'vitest';
import { parseConfig } from '../../../src/orchestrator/config/parse.ts';
import type { RunConfig } from '../../../src/orchestrator/config/types.ts';
import type { Core } from '../../../src/orchestrator/session/core.ts';
import { Session } from '../../../src/orchestrator/session/session.ts';
import type { RunningStack, StackOptions } from '../../../src/orchestrator/stack/types.ts';
import { logger } from '../fixtures/silent-logger.ts';

function config(): RunConfig {
  const outcome = parseConfig(['run', '--suite', 'database', '--cpus', '0.5', '--reports-dir', '/r'], {});
  if (outcome.kind !== 'config') throw new Error('expected a config');
  return outcome.config;
}

/** A core that records what the session asked of it. */
function recordingCore() {
  const calls: string[] = [];
  const asked: StackOptions[] = [];
  const core: Core = {
    checkEngine: async () => {
      calls.push('engine');
      return { version: '1', apiVersion: '1', host: 'h', dockerHost: 'unix:///x', operatingSystem: 'os' };
    },
    resolveImages: async () => ({
      images: { pynomaly: 'p', postgres: 'g', redis: 'r' },
      timings: {},
      details: [],
    }),
    resolveRunImages: async () => [],
    imageId: async (ref) => `sha256:${ref}`,
    startReaper: async () => {
      calls.push('reaper');
      return { close: () => void calls.push('reaper closed') };
    },
    startStack: async (options) => {
      asked.push(options);
      let stops = 0;
      return {
        endpoints: { suite: options.suite },
        stop: async () => void calls.push(`stop ${options.suite} #${++stops}`),
      } as unknown as RunningStack;
    },
    removeRun: async (runId) => void calls.push(`sweep ${runId}`),
    cleanOrphans: async () => [],
    removeStaleImages: async () => [],
    isSetupError: () => false,
  };
  return { core, calls, asked };
}

describe('Session', () => {
  test('disposal stops every stack it started, sweeps the run, then releases the reaper', async () => {
    const c = config();
    const { core, calls } = recordingCore();
    {
      await using session = new Session(c, core, logger);
      await session.connect();
      const images = await session.resolveImages();
      expect(images.ids).toEqual({ pynomaly: 'sha256:p', postgres: 'sha256:g', redis: 'sha256:r' });
      await session.startStack({ suite: 'a', reportsDir: '/r/a' });
      const b = await session.startStack({ suite: 'b', reportsDir: '/r/b' });
      await b.stop();
    }
    expect(calls).toEqual([
      'engine',
      'reaper',
      'stop b #1',
      'stop a #1',
      'stop b #2',
      `sweep ${c.runId}`,
      'reaper closed',
    ]);
  });

  test('stacks are built from the run config once: cpus, seed, auth, --service-env over the suite env', async () => {
    const c = { ...config(), serviceEnv: { PYNOMALY_X: 'flag' } };
    const { core, asked } = recordingCore();
    await using session = new Session(c, core, logger);
    await session.resolveImages();
    await session.startStack({
      suite: 's',
      reportsDir: '/r/s',
      extraEnv: { PYNOMALY_X: 'suite', PYNOMALY_Y: 'y' },
    });
    expect(asked[0]).toMatchObject({
      runId: c.runId,
      suite: 's',
      cpus: 0.5,
      seed: c.seed,
      authEnabled: c.auth,
      images: { pynomaly: 'p', postgres: 'g', redis: 'r' },
      extraEnv: { PYNOMALY_X: 'flag', PYNOMALY_Y: 'y' },
    });
  });

  test('a stack before the images are known is a programming error, said plainly', async () => {
    const { core } = recordingCore();
    await using session = new Session(config(), core, logger);
    await expect(session.startStack({ suite: 's', reportsDir: '/r' })).rejects.toThrow(
      /before resolveImages/,
    );
  });
});
