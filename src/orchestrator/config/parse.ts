import { availableParallelism } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import yargs from 'yargs';
import { MARKERS, SUITES } from '../suites/catalog.ts';
import { parseMarkers, parseSuiteNames, selectSuites } from '../suites/select.ts';
import {
  DEFAULT_MAX_FAILURES,
  DEFAULT_REPORTS_ROOT,
  DEFAULT_TIMEOUT_SECONDS,
  defaultParallel,
  newRunId,
  timestampForPath,
} from './defaults.ts';
import { UsageError } from './errors.ts';
import { HELP_EPILOGUE } from './help.ts';
import {
  COMMANDS,
  type CommandName,
  LOG_LEVELS,
  type LogFormat,
  type LogLevel,
  type ParseContext,
  type ParseOutcome,
  type RunConfig,
} from './types.ts';

type Env = Readonly<Record<string, string | undefined>>;

export function defaultContext(): ParseContext {
  return {
    cores: availableParallelism(),
    stdoutIsTTY: Boolean(process.stdout.isTTY),
    now: new Date(),
    randomInt: () => Math.floor(Math.random() * 2 ** 31),
    cwd: process.cwd(),
  };
}

function buildParser(env: Env, ctx: ParseContext) {
  void env;
  return yargs()
    .scriptName('pynomaly-it')
    .usage('$0 [command] [options]')
    .command(['run', '$0'], 'run suites, each on its own fresh stack (default)')
    .command(
      'health',
      'check node, dependencies, engine, images, a stack, /api/health, a write and a predict',
    )
    .command('up', 'start one stack and keep it until Ctrl-C (write .pynomaly-it/stack.json)')
    .command('clean', 'remove every container, network and volume of this tool whose run is gone')
    .command('list', 'list suites (with upstream file names) and markers')
    .command('images', 'resolve every image of the tool (build what is missing) and print name and ref')
    .option('suite', {
      alias: 's',
      type: 'string',
      describe: `suite to run (repeatable): ${SUITES.map((s) => s.name).join(', ')} or upstream file names`,
    })
    .option('markers', {
      alias: 'm',
      type: 'string',
      describe: `run tests carrying any of these markers: ${MARKERS.join(', ')}`,
    })
    .option('coverage', { type: 'boolean', default: false, describe: 'coverage of the service under test' })
    .option('auth', { type: 'boolean', default: false, describe: 'start the service with authentication on' })
    .option('fail-fast', {
      alias: 'x',
      type: 'boolean',
      default: false,
      describe: 'stop at the first failure',
    })
    .option('timeout', {
      type: 'string',
      describe: `seconds per suite before it is stopped as timed out [default: ${DEFAULT_TIMEOUT_SECONDS}]`,
    })
    .option('max-failures', {
      type: 'string',
      describe: `stop a suite after this many failed tests, 0 = no limit [default: ${DEFAULT_MAX_FAILURES}]`,
    })
    .option('log-level', {
      type: 'string',
      describe: `${LOG_LEVELS.join(', ')} (also WARNING) [default: info]`,
    })
    .option('log-format', {
      type: 'string',
      describe: 'pretty or json [default: json when CI is set or stdout is not a terminal]',
    })
    .option('parallel', {
      alias: 'j',
      type: 'string',
      describe: `suites at once, each with its own stack (~300 MB, ~1 core) [default: min(cores, 4) = ${defaultParallel(ctx.cores)}]`,
    })
    .option('image', {
      type: 'string',
      describe: 'service image under test (tag or ID) [default: built from containers/pynomaly]',
    })
    .option('postgres-image', {
      type: 'string',
      describe: 'PostgreSQL image [default: built from containers/postgres]',
    })
    .option('redis-image', { type: 'string', describe: 'Redis image [default: built from containers/redis]' })
    .option('keep', {
      type: 'boolean',
      default: false,
      describe: "keep a failed suite's stack running until Ctrl-C",
    })
    .option('seed', {
      type: 'string',
      describe: 'seed for sample data and the service [default: random, recorded]',
    })
    .option('repeat', {
      type: 'string',
      describe: 'run each suite N times, each on a fresh stack (flake hunting)',
    })
    .option('reports-dir', {
      type: 'string',
      describe: 'reports folder [default: test_reports/<time>-<run>]',
    })
    .option('list', { type: 'boolean', default: false, describe: 'list suites and markers, run nothing' })
    .option('suites-root', { type: 'string', hidden: true })
    .option('service-env', { type: 'string', hidden: true })
    .strict()
    .help()
    .alias('help', 'h')
    .version(false)
    .wrap(Math.min(120, process.stdout.columns ?? 100))
    .epilogue(HELP_EPILOGUE)
    .env(false)
    .parserConfiguration({ 'duplicate-arguments-array': true, 'camel-case-expansion': true })
    .exitProcess(false);
}

function list(value: unknown): string[] {
  if (value === undefined) return [];
  const values = Array.isArray(value) ? value : [value];
  return values
    .flatMap((v) => String(v).split(','))
    .map((v) => v.trim())
    .filter(Boolean);
}

function last(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  return String(Array.isArray(value) ? value[value.length - 1] : value);
}

function integer(
  flag: string,
  raw: string | undefined,
  fallback: number,
  min: number,
  max = 2 ** 31 - 1,
): number {
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw.trim()) || Number(raw) < min || Number(raw) > max)
    throw new UsageError(`--${flag} must be a whole number from ${min} to ${max}, got "${raw}"`);
  return Number(raw);
}

function seconds(flag: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!/^\d+(\.\d+)?$/.test(raw.trim()) || !(n > 0))
    throw new UsageError(`--${flag} must be a positive number of seconds, got "${raw}"`);
  return n;
}

function logLevel(raw: string | undefined): LogLevel {
  if (raw === undefined) return 'info';
  const m = raw.toLowerCase();
  const mapped = m === 'warning' ? 'warn' : m === 'critical' ? 'error' : m;
  if (!(LOG_LEVELS as readonly string[]).includes(mapped))
    throw new UsageError(`--log-level must be one of ${LOG_LEVELS.join(', ')} (or WARNING), got "${raw}"`);
  return mapped as LogLevel;
}

function logFormat(raw: string | undefined, ci: boolean, tty: boolean): LogFormat {
  if (raw === undefined) return ci || !tty ? 'json' : 'pretty';
  if (raw !== 'pretty' && raw !== 'json')
    throw new UsageError(`--log-format must be one of pretty, json, got "${raw}"`);
  return raw;
}

function keyValues(raw: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of (raw ?? '').split(',').filter(Boolean)) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--service-env takes KEY=VALUE[,KEY=VALUE], got "${pair}"`);
    out[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return out;
}

/** Wraps yargs' own failures (unknown flag, unknown command) as UsageError. */
function runYargs(argv: readonly string[], env: Env, ctx: ParseContext) {
  const parser = buildParser(env, ctx);
  let output = '';
  let failure: Error | undefined;
  const parsed = parser
    .fail((message, error) => {
      failure = new UsageError(
        `${message ?? error?.message ?? 'invalid arguments'}; commands: ${COMMANDS.join(', ')}; see --help for every flag`,
      );
    })
    .parseSync([...argv], {}, (_err: unknown, _argv: unknown, out: string) => {
      output = out;
    }) as Record<string, unknown>;
  if (failure) throw failure;
  return { parsed, output };
}

/** Turns CLI flags and environment into the run's frozen configuration; throws UsageError. */
export function parseConfig(
  argv: readonly string[],
  env: Env,
  ctx: ParseContext = defaultContext(),
): ParseOutcome {
  const { parsed, output } = runYargs(argv, env, ctx);
  if (parsed.help) return { kind: 'output', text: output };

  const positional = (parsed._ as (string | number)[]).map(String);
  const command = (positional[0] ?? 'run') as CommandName;
  if (!(COMMANDS as readonly string[]).includes(command))
    throw new UsageError(`unknown command "${command}"; valid commands: ${COMMANDS.join(', ')}`);
  if (positional.length > 1)
    throw new UsageError(`unexpected argument "${positional[1]}"; suites are chosen with --suite`);

  const ci = Boolean(env.CI) && env.CI !== 'false' && env.CI !== '0';
  const suiteArgs = list(parsed.suite);
  const markers = parseMarkers(list(parsed.markers));
  const named = parseSuiteNames(suiteArgs);
  const selection =
    command === 'run' || command === 'health' || command === 'up'
      ? selectSuites(named, markers)
      : { suites: [], tagsFilter: undefined };

  const seedRaw = last(parsed.seed) ?? env.PYNOMALY_IT_SEED;
  const seed = integer('seed', seedRaw, ctx.randomInt() % 1_000_000, 0);
  const runId = newRunId(ctx.now, ctx.randomInt);
  const reportsRoot = resolve(ctx.cwd, env.PYNOMALY_IT_REPORTS_ROOT ?? DEFAULT_REPORTS_ROOT);
  const reportsDirRaw = last(parsed.reportsDir) ?? env.PYNOMALY_IT_REPORTS_DIR;
  const reportsDir = reportsDirRaw
    ? isAbsolute(reportsDirRaw)
      ? reportsDirRaw
      : resolve(ctx.cwd, reportsDirRaw)
    : join(reportsRoot, `${timestampForPath(ctx.now)}-${runId}`);
  const format = logFormat(last(parsed.logFormat), ci, ctx.stdoutIsTTY);

  const config: RunConfig = {
    command,
    runId,
    suites: selection.suites,
    suiteArgs,
    markers,
    tagsFilter: selection.tagsFilter,
    coverage: Boolean(parsed.coverage),
    auth: Boolean(parsed.auth),
    failFast: Boolean(parsed.failFast),
    timeoutMs: seconds('timeout', last(parsed.timeout), DEFAULT_TIMEOUT_SECONDS) * 1000,
    maxFailures: integer('max-failures', last(parsed.maxFailures), DEFAULT_MAX_FAILURES, 0),
    logLevel: logLevel(last(parsed.logLevel) ?? env.PYNOMALY_IT_LOG_LEVEL),
    logFormat: format,
    parallel: integer(
      'parallel',
      last(parsed.parallel) ?? env.PYNOMALY_IT_PARALLEL,
      defaultParallel(ctx.cores),
      1,
      64,
    ),
    images: {
      pynomaly: last(parsed.image) ?? env.PYNOMALY_IT_IMAGE,
      postgres: last(parsed.postgresImage) ?? env.PYNOMALY_IT_POSTGRES_IMAGE,
      redis: last(parsed.redisImage) ?? env.PYNOMALY_IT_REDIS_IMAGE,
    },
    keep: Boolean(parsed.keep),
    seed,
    seedGiven: seedRaw !== undefined,
    repeat: integer('repeat', last(parsed.repeat), 1, 1, 1000),
    reportsDir,
    reportsRoot,
    list: Boolean(parsed.list) || command === 'list',
    ci,
    interactive: ctx.stdoutIsTTY && !ci && format === 'pretty',
    suitesRoot: last(parsed.suitesRoot) ?? env.PYNOMALY_IT_SUITES_DIR,
    serviceEnv: Object.freeze(keyValues(last(parsed.serviceEnv) ?? env.PYNOMALY_IT_SERVICE_ENV)),
    coreModule: env.PYNOMALY_IT_CORE_MODULE,
    cwd: ctx.cwd,
  };
  for (const key of Object.keys(config.images) as (keyof RunConfig['images'])[])
    if (config.images[key] === undefined || config.images[key] === '') delete config.images[key];
  Object.freeze(config.images);
  return { kind: 'config', config: Object.freeze(config) };
}
