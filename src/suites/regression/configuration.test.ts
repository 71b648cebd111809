/**
 * regression / configuration variables and their defaults.
 *
 * Faults this file catches:
 * - a changed default: contamination (0.1), list limit (50, max 500), random seed (42: training is
 *   reproducible), streaming session limit (10), API port (8000)
 * - a variable renamed or no longer validated: a bad value must stop start-up with a message that
 *   names the variable (checked by starting the service image with bad values, in throwaway containers)
 */
import { describe, expect } from 'vitest';
import { expectStatus } from '../fixtures/http-client.ts';
import { FEATURES, featureRows, sampleDataset } from '../fixtures/sample-data.ts';
import { trialStart } from '../fixtures/service-control.ts';
import { useStack } from '../fixtures/stack.ts';
import { test } from '../fixtures/test.ts';

/**
 * A correct service exits as soon as it has read its settings, so the bound costs it nothing; it
 * only has to outlast a slow start: at load 29, in a nested engine, the service had not printed
 * a line after 20 s. A service that serves despite a bad value is waited for the whole bound
 * (60 s, the most the orchestrator's control channel grants a trial start).
 */
const TRIAL_EXIT_TIMEOUT_MS = 60_000;

/** Runs the service image with `env` overridden (through the orchestrator); its exit code and log. */
function startWith(env: Record<string, string>): Promise<{ exitCode: number | null; log: string }> {
  return trialStart(useStack(), env, TRIAL_EXIT_TIMEOUT_MS);
}

describe('configuration and defaults', { tags: ['regression'] }, () => {
  test('defaults observable through the API are unchanged', async ({ helper, client, stack }) => {
    const env = stack.serviceEnv;
    const dataset = await helper.uploadSampleDataset();
    const detector = await client.data(
      'POST',
      '/api/detectors/create',
      {
        query: { dataset_id: dataset.id },
        json: {
          name: helper.name('defaults'),
          algorithm: 'isolation_forest',
          parameters: {},
          feature_columns: [...FEATURES],
        },
      },
      'create a detector without parameters',
    );
    helper.track('detector', detector.id);
    expect(detector.parameters.contamination, 'default contamination').toBe(
      Number(env.PYNOMALY_DEFAULT_CONTAMINATION_RATE ?? 0.1),
    );

    const list = await client.data('GET', '/api/datasets', {}, 'list without limit');
    expect(list.limit, 'default list limit is 50').toBe(50);
    expect(list.offset, 'default offset is 0').toBe(0);
    expectStatus(await client.get('/api/datasets', { query: { limit: 500 } }), 200, 'limit 500 is allowed');
    expectStatus(
      await client.get('/api/datasets', { query: { limit: 501 } }),
      [400, 422],
      'limit above 500 is refused',
    );

    // Seeded training: two detectors with the same data and parameters score identically.
    const a = await helper.createDetector(dataset.id, { algorithm: 'isolation_forest' });
    const b = await helper.createDetector(dataset.id, { algorithm: 'isolation_forest' });
    await helper.train(a.id);
    await helper.train(b.id);
    const points = featureRows(sampleDataset(3, 20), FEATURES);
    expect(
      await helper.predict(b.id, points),
      'training must be reproducible under the configured seed',
    ).toEqual(await helper.predict(a.id, points));
    expect(stack.servicePort, 'the service listens on PYNOMALY_API_PORT (default 8000)').toBe(
      Number(env.PYNOMALY_API_PORT ?? 8000),
    );
    expect(Number(env.PYNOMALY_RANDOM_SEED ?? stack.seed), 'the service seed is the run seed').toBe(
      stack.seed,
    );
  });

  // Each trial is a container of its own that exits at once: they run side by side (seven one after
  // the other cost this suite 12 s).
  test.concurrent.each([
    ['PYNOMALY_ENVIRONMENT', 'staging-ish'],
    ['PYNOMALY_API_PORT', 'eighty'],
    ['PYNOMALY_API_RATE_LIMIT', '-5'],
    ['PYNOMALY_DEFAULT_CONTAMINATION_RATE', '0.9'],
    ['PYNOMALY_MAX_STREAMING_SESSIONS', 'many'],
    ['PYNOMALY_DATABASE_URL', 'mysql://nope'],
  ])('a bad %s stops start-up with a message naming it', { tags: ['slow'] }, async (name, value) => {
    const { exitCode, log } = await startWith({ [name]: value });
    expect(
      exitCode,
      `the service must exit (not serve) with ${name}=${value}; log:\n${log.slice(-800)}`,
    ).not.toBeNull();
    expect(exitCode, `the service must exit non-zero with ${name}=${value}`).not.toBe(0);
    expect(log, `the start-up error must name ${name}`).toContain(name);
  });

  test.concurrent('production refuses a weak secret key when auth is on', {
    tags: ['slow', 'security'],
  }, async () => {
    const { exitCode, log } = await startWith({
      PYNOMALY_ENVIRONMENT: 'production',
      PYNOMALY_AUTH_ENABLED: 'true',
      PYNOMALY_SECRET_KEY: 'secret',
    });
    expect(exitCode, `production with a weak secret must not start; log:\n${log.slice(-800)}`).not.toBeNull();
    expect(exitCode, 'production with a weak secret must exit non-zero').not.toBe(0);
    expect(log, 'the error must name PYNOMALY_SECRET_KEY').toContain('PYNOMALY_SECRET_KEY');
  });
});
