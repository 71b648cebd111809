import { spawn } from 'node:child_process';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Where the service's compiled JS lives inside its image, and on this machine. */
export const CONTAINER_DIST_URL = 'file:///app/dist/';

export interface CoverageSummary {
  lines: number;
  statements: number;
  functions: number;
  branches: number;
}

interface V8Dump {
  result: { url: string }[];
}

/**
 * Keeps the service's own scripts of a V8 coverage dump and points them at the host's copy of
 * the same dist (so c8 finds the files and their source maps back to src/*.ts).
 */
export function remapDump(dump: V8Dump, hostDistUrl: string): V8Dump {
  return {
    ...dump,
    result: dump.result
      .filter((s) => s.url.startsWith(CONTAINER_DIST_URL))
      .map((s) => ({ ...s, url: hostDistUrl + s.url.slice(CONTAINER_DIST_URL.length) })),
  };
}

function run(command: string, args: string[], cwd: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', (e) => resolve({ code: null, output: e.message }));
    child.on('exit', (code) => resolve({ code, output }));
  });
}

/** Is the host's dist/ of the service newer than every file of its src/? */
async function distIsFresh(serviceRoot: string): Promise<boolean> {
  const built = await stat(join(serviceRoot, 'dist', 'server.js')).catch(() => undefined);
  if (!built) return false;
  const sources = await readdir(join(serviceRoot, 'src'), { recursive: true });
  const times = await Promise.all(
    sources.map(async (f) => (await stat(join(serviceRoot, 'src', f))).mtimeMs),
  );
  return times.every((t) => t <= built.mtimeMs);
}

/**
 * V8 coverage of the service (raw dumps from its container) → HTML, text, Cobertura
 * (`coverage.xml`) and lcov (`lcov.info`) reports of src/*.ts via c8 and the source maps of the
 * host's build of the service. Several dumps (suites, shards) make one merged report.
 */
export async function renderServiceCoverage(options: {
  /** Folders of raw V8 dumps (one per suite; several make a merged report). */
  rawDirs: readonly string[];
  outDir: string;
  /** containers/pynomaly (absolute). */
  serviceRoot: string;
}): Promise<{ summary?: CoverageSummary; text: string } | undefined> {
  const dist = join(options.serviceRoot, 'dist');
  // A dist older than the sources would map the dumps onto the wrong lines: rebuild it then.
  if (!(await distIsFresh(options.serviceRoot))) {
    const build = await run('npm', ['run', 'build', '--silent'], options.serviceRoot);
    if (build.code !== 0)
      throw new Error(`could not build the service for coverage: ${build.output.slice(-500)}`);
  }
  const temp = join(options.outDir, '.v8');
  await mkdir(temp, { recursive: true });
  const hostDistUrl = `${pathToFileURL(dist).href}/`;
  let count = 0;
  for (const [i, rawDir] of options.rawDirs.entries())
    for (const f of (await readdir(rawDir).catch(() => [] as string[])).filter((x) => x.endsWith('.json'))) {
      const dump = JSON.parse(await readFile(join(rawDir, f), 'utf8')) as V8Dump;
      await writeFile(join(temp, `${i}-${f}`), JSON.stringify(remapDump(dump, hostDistUrl)));
      count += 1;
    }
  if (count === 0) {
    await rm(temp, { recursive: true, force: true });
    return undefined;
  }
  const c8 = join(dirname(createRequire(import.meta.url).resolve('c8/package.json')), 'bin', 'c8.js');
  const report = await run(
    process.execPath,
    [
      c8,
      'report',
      `--temp-directory=${temp}`,
      `--reports-dir=${options.outDir}`,
      '--reporter=html',
      '--reporter=text-summary',
      '--reporter=json-summary',
      // What CI services read: Cobertura (Codecov, GitLab) and lcov, both of src/*.ts.
      '--reporter=cobertura',
      '--reporter=lcovonly',
      '--include=dist/**',
      '--include=src/**',
      '--exclude-after-remap',
    ],
    options.serviceRoot,
  );
  await rm(temp, { recursive: true, force: true });
  if (report.code !== 0) throw new Error(`c8 report failed: ${report.output.slice(-500)}`);
  // istanbul names it cobertura-coverage.xml; upstream's CI steps upload coverage.xml.
  await rename(join(options.outDir, 'cobertura-coverage.xml'), join(options.outDir, 'coverage.xml')).catch(
    () => undefined,
  );
  let summary: CoverageSummary | undefined;
  try {
    const total = JSON.parse(await readFile(join(options.outDir, 'coverage-summary.json'), 'utf8')).total;
    summary = {
      lines: total.lines.pct,
      statements: total.statements.pct,
      functions: total.functions.pct,
      branches: total.branches.pct,
    };
  } catch {
    // The HTML is there; the numbers are a convenience.
  }
  return { summary, text: report.output.trim() };
}
