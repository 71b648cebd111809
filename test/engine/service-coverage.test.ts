import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, onTestFinished, test } from 'vitest';
import { remapDump, renderServiceCoverage } from '../../src/orchestrator/reports/service-coverage.ts';

const serviceRoot = join(import.meta.dirname, '../../containers/pynomaly');

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

  /** A real V8 dump of the service importing `modules`, rewritten as the container would write it. */
  function dumpOf(work: string, name: string, modules: string[]): string {
    const raw = join(work, `${name}-host`);
    const code = modules.map((m) => `await import('./dist/${m}');`).join(' ');
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', code], {
      cwd: serviceRoot,
      env: { ...process.env, NODE_V8_COVERAGE: raw },
    });
    expect(run.status, run.stderr?.toString()).toBe(0);
    const inContainer = join(work, name);
    mkdirSync(inContainer, { recursive: true });
    const hostDist = `${pathToFileURL(join(serviceRoot, 'dist')).href}/`;
    for (const f of readdirSync(raw))
      writeFileSync(
        join(inContainer, f),
        readFileSync(join(raw, f), 'utf8').replaceAll(hostDist, 'file:///app/dist/'),
      );
    return inContainer;
  }

  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    isArray: (n) => n === 'class' || n === 'package',
  });
  const coberturaOf = (dir: string) => parser.parse(readFileSync(join(dir, 'coverage.xml'), 'utf8')).coverage;
  const filesOf = (coverage: { packages: { package: { classes: { class: { filename: string }[] } }[] } }) =>
    coverage.packages.package.flatMap((p) => p.classes.class.map((c) => c.filename));

  test('dumps with /app/dist URLs become HTML, Cobertura and lcov reports of src/*.ts, merged over suites', async () => {
    const work = mkdtempSync(join(tmpdir(), 'pit-cov-'));
    onTestFinished(() => rmSync(work, { recursive: true, force: true }));
    // Make sure the host build exists (renderServiceCoverage builds it when missing).
    await renderServiceCoverage({
      rawDirs: [join(work, 'none')],
      outDir: join(work, 'none-out'),
      serviceRoot,
    });
    // Two "suites": one loads the config module, the other the error envelope too.
    const one = dumpOf(work, 'suite-one', ['config.js']);
    const two = dumpOf(work, 'suite-two', ['config.js', 'http/errors.js', 'http/envelope.js']);

    const alone = join(work, 'alone');
    const merged = join(work, 'merged');
    const report = await renderServiceCoverage({ rawDirs: [one], outDir: alone, serviceRoot });
    await renderServiceCoverage({ rawDirs: [one, two], outDir: merged, serviceRoot });
    expect(report?.summary?.lines).toBeGreaterThan(0);
    expect(report?.summary?.lines).toBeLessThanOrEqual(100);
    expect(readdirSync(alone)).toEqual(
      expect.arrayContaining(['index.html', 'config.ts.html', 'coverage.xml', 'lcov.info']),
    );

    // Cobertura: well-formed, every file a .ts file of the service's src.
    expect(XMLValidator.validate(readFileSync(join(merged, 'coverage.xml'), 'utf8'))).toBe(true);
    const files = filesOf(coberturaOf(merged));
    expect(files.length).toBeGreaterThan(1);
    for (const f of files) expect(f, 'Cobertura names the TypeScript sources').toMatch(/\.ts$/);
    expect(files).toContain('src/http/errors.ts');
    // lcov: SF lines are the same .ts sources.
    const sf = readFileSync(join(merged, 'lcov.info'), 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('SF:'));
    expect(sf.length).toBe(files.length);
    for (const l of sf) expect(l).toMatch(/^SF:.*src\/.*\.ts$/);
    // Leaving a suite out lowers what is covered: fewer lines hit in the one-suite report.
    const hits = (dir: string) =>
      readFileSync(join(dir, 'lcov.info'), 'utf8')
        .split('\n')
        .filter((l) => /^DA:\d+,[1-9]/.test(l)).length;
    expect(hits(alone)).toBeLessThan(hits(merged));
    // On a clean clone this first builds the service (tsc).
  }, 180_000);
});
