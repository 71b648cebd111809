import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, onTestFinished, test } from 'vitest';
import { remapDump, renderServiceCoverage } from '../../../src/orchestrator/reports/service-coverage.ts';

const serviceRoot = join(import.meta.dirname, '../../../containers/pynomaly');

describe('service V8 coverage', () => {
  test('only the service dist is kept, re-rooted on the host copy', () => {
    const dump = {
      result: [
        { url: 'node:internal/modules/run_main' },
        { url: 'file:///app/node_modules/fastify/fastify.js' },
        { url: 'file:///app/dist/routes/datasets.js' },
      ],
    };
    expect(remapDump(dump, 'file:///repo/containers/pynomaly/dist/').result.map((r) => r.url)).toEqual([
      'file:///repo/containers/pynomaly/dist/routes/datasets.js',
    ]);
  });

  test('a dump with /app/dist URLs becomes an HTML report of src/*.ts', async () => {
    const work = mkdtempSync(join(tmpdir(), 'pit-cov-'));
    onTestFinished(() => rmSync(work, { recursive: true, force: true }));
    // Make sure the host build exists (renderServiceCoverage builds it when missing).
    await renderServiceCoverage({
      rawDirs: [join(work, 'none')],
      outDir: join(work, 'none-out'),
      serviceRoot,
    });
    // A real V8 dump of the service's config module, as the container would write it.
    const raw = join(work, 'raw-host');
    const run = spawnSync(
      process.execPath,
      ['--input-type=module', '-e', "await import('./dist/config.js')"],
      {
        cwd: serviceRoot,
        env: { ...process.env, NODE_V8_COVERAGE: raw },
      },
    );
    expect(run.status).toBe(0);
    const inContainer = join(work, 'raw');
    spawnSync('mkdir', ['-p', inContainer]);
    const hostDist = `${pathToFileURL(join(serviceRoot, 'dist')).href}/`;
    for (const f of readdirSync(raw))
      writeFileSync(
        join(inContainer, f),
        readFileSync(join(raw, f), 'utf8').replaceAll(hostDist, 'file:///app/dist/'),
      );

    const out = join(work, 'coverage');
    const report = await renderServiceCoverage({ rawDirs: [inContainer], outDir: out, serviceRoot });
    expect(report?.summary?.lines).toBeGreaterThan(0);
    expect(report?.summary?.lines).toBeLessThanOrEqual(100);
    expect(readdirSync(out)).toContain('index.html');
    expect(readdirSync(out)).toContain('config.ts.html');
    // On a clean clone this first builds the service (tsc), which takes longer than a unit test.
  }, 120_000);
});
