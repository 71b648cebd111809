/**
 * Compiles one planted service file the way the service image's staging does (tsc -p
 * tsconfig.build.json, with the service's own TypeScript), without copying the service: the
 * planted text replaces the file in memory. The whole program is type-checked, so a fault that
 * does not compile is reported as broken instead of being "caught" by a service that never
 * started. The check is incremental (like tsc --incremental): a build-info file kept in the temp
 * folder lets each check re-check only the files that differ from the previous one.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type * as TS from 'typescript';

export interface Compiled {
  /** The JavaScript tsc writes for the file (dist/<same path>.js). */
  js: string;
  /** Path of that output inside the image, e.g. /app/dist/routes/meta.js. */
  imagePath: string;
  /** Type errors the planted text adds (empty when it compiles). */
  errors: string[];
}

const BUILD_INFO = join(tmpdir(), 'pynomaly-it-faults', 'service.tsbuildinfo');

/** Where the service image holds the output of src/<file> (its Dockerfile copies dist to /app/dist). */
export function imagePathOf(file: string): string {
  if (!file.endsWith('.ts') || file.endsWith('.d.ts'))
    throw new Error(`only .ts files under containers/pynomaly/src can be planted, not ${file}`);
  return `/app/dist/${file.replace(/\.ts$/, '.js')}`;
}

/** The TypeScript the service builds with, not the orchestrator's. */
function serviceTypescript(serviceDir: string): typeof TS {
  return createRequire(join(serviceDir, 'package.json'))('typescript') as typeof TS;
}

function readConfig(ts: typeof TS, serviceDir: string): TS.ParsedCommandLine {
  const configPath = join(serviceDir, 'tsconfig.build.json');
  const config = ts.getParsedCommandLineOfConfigFile(
    configPath,
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    },
  );
  if (!config) throw new Error(`cannot read ${configPath}`);
  return config;
}

/** Parsed declaration files (node_modules, lib): they do not change during a run, reused per fault. */
const declarations = new Map<string, TS.SourceFile>();

/**
 * An incremental program of the service over `sources` (path -> text of every src file, read
 * once, so the correct and the planted program see the same files while others edit them).
 */
function build(ts: typeof TS, config: TS.ParsedCommandLine, sources: ReadonlyMap<string, string>) {
  const options = { ...config.options, incremental: true, tsBuildInfoFile: BUILD_INFO };
  const host = ts.createIncrementalCompilerHost(options);
  const original = host.getSourceFile.bind(host);
  host.getSourceFile = (name, languageVersion, onError, shouldCreate) => {
    const path = resolve(name);
    const text = sources.get(path);
    if (text !== undefined) {
      const file = ts.createSourceFile(name, text, languageVersion, true);
      // The builder compares file versions with the build info's; any hash of the text will do.
      (file as { version?: string }).version = createHash('sha256').update(text).digest('hex');
      return file;
    }
    if (!path.endsWith('.d.ts')) return original(name, languageVersion, onError, shouldCreate);
    let file = declarations.get(path);
    if (!file) {
      file = original(name, languageVersion, onError, shouldCreate);
      if (file) declarations.set(path, file);
    }
    return file;
  };
  return ts.createIncrementalProgram({ rootNames: config.fileNames, options, host });
}

function diagnostics(ts: typeof TS, builder: TS.BuilderProgram, serviceDir: string): string[] {
  const all = [
    ...builder.getOptionsDiagnostics(),
    ...builder.getGlobalDiagnostics(),
    ...builder.getSyntacticDiagnostics(),
    ...builder.getSemanticDiagnostics(),
  ];
  const host: TS.FormatDiagnosticsHost = {
    getCanonicalFileName: (f) => f,
    getCurrentDirectory: () => serviceDir,
    getNewLine: () => '\n',
  };
  return all.map((d) => ts.formatDiagnostic(d, host).trim());
}

/** Saves the build info for the next check (atomically: two fault checks may share the file). */
function saveBuildInfo(builder: TS.BuilderProgram): void {
  mkdirSync(dirname(BUILD_INFO), { recursive: true });
  builder.emit(undefined, (name, data) => {
    if (!name.endsWith('.tsbuildinfo')) return; // JavaScript is never written to disk here.
    const temp = `${BUILD_INFO}.${process.pid}`;
    writeFileSync(temp, data);
    renameSync(temp, BUILD_INFO);
  });
}

/** Type-check the service with src/`file` replaced by `text` and emit that one file's JavaScript. */
export function compilePlanted(serviceDir: string, file: string, text: string): Compiled {
  const ts = serviceTypescript(serviceDir);
  const imagePath = imagePathOf(file);
  const config = readConfig(ts, serviceDir);
  const path = resolve(serviceDir, 'src', file);
  if (!config.fileNames.some((f) => resolve(f) === path))
    throw new Error(`${file} is not part of the service build (containers/pynomaly/tsconfig.build.json)`);
  const correct = new Map(config.fileNames.map((f) => [resolve(f), readFileSync(f, 'utf8')]));
  const builder = build(ts, config, new Map([...correct, [path, text]]));
  let errors = diagnostics(ts, builder, serviceDir);
  if (errors.length > 0) {
    // Only what the fault adds counts: the shared source may be mid-edit by someone else.
    const before = new Set(diagnostics(ts, build(ts, config, correct), serviceDir));
    errors = errors.filter((e) => !before.has(e));
  }
  let js: string | undefined;
  const program = builder.getProgram();
  program.emit(program.getSourceFile(path), (name, data) => {
    if (name.endsWith('.js')) js = data;
  });
  if (js === undefined) throw new Error(`tsc emitted no JavaScript for ${file}`);
  // Any state of the source makes a valid build info: the next check re-checks what differs.
  saveBuildInfo(builder);
  return { js, imagePath, errors };
}
