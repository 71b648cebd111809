import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import yargs from 'yargs';
import { MARKERS, SUITES, type SuiteDefinition } from '../suites/catalog.ts';
import { parseMarkers, parseSuiteNames, selectSuites } from '../suites/select.ts';
import { type Shard, shardSuites } from '../suites/shard.ts';
import {
  DEFAULT_HUNT_ITERATIONS,
  DEFAULT_MAX_FAILURES,
  DEFAULT_REPORTS_ROOT,
  DEFAULT_TIMEOUT_SECONDS,
  DEFAULT_WARM_STACKS,
  defaultParallel,
  newRunId,
  timestampForPath,
} from './defaults.ts';
import { UsageError } from './errors.ts';
import { HELP_EPILOGUE } from './help.ts';
import { MAX_TIMEOUT_SECONDS, type NumberRule, readNumber } from './numbers.ts';
import {
  COMMANDS,
  type CommandName,
  type HuntLevel,
  LOAD_LEVELS,
  LOG_LEVELS,
  type LoadLevel,
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
    version: packageVersion(),
  };
}

function packageVersion(): string {
  const file = new URL('../../../package.json', import.meta.url);
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

/**
 * yargs' own --version is off (it would read package.json while parsing): ours comes from the context.
 * Numbers: yargs parses them and refuses a flag without its value (requiresArg; it would otherwise
 * be dropped silently); their ranges are checked in numbers.ts, which the environment's values share.
 */
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
    .command(
      'flakes',
      'flake hunt: every selected suite --iterations times at normal and oversubscribed load; per-test pass counts',
    )
    .command(
      'merge-reports <dirs..>',
      'combine the run folders of shards (run --shard i/n) into one report: HTML, text, JUnit, JSON, coverage',
    )
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
    .option('auth', {
      type: 'boolean',
      default: false,
      describe: 'start the service with authentication on',
    })
    .option('fail-fast', {
      alias: 'x',
      type: 'boolean',
      default: false,
      describe: 'stop at the first failure',
    })
    .option('timeout', {
      type: 'number',
      requiresArg: true,
      describe: `seconds per suite before it is stopped as timed out, at most ${MAX_TIMEOUT_SECONDS} [default: ${DEFAULT_TIMEOUT_SECONDS}]`,
    })
    .option('max-failures', {
      type: 'number',
      requiresArg: true,
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
      type: 'number',
      requiresArg: true,
      describe: `suites at once, each with its own stack (~300 MB, ~1 core) [default: min(cores, 4) = ${defaultParallel(ctx.cores)}]`,
    })
    .option('cpus', {
      type: 'number',
      requiresArg: true,
      describe: `CPU quota of every container of each stack (service, PostgreSQL, Redis), e.g. 0.5; more than 0, at most ${ctx.cores} [default: no quota]`,
    })
    .option('warm-stacks', {
      type: 'number',
      requiresArg: true,
      describe: `stacks started ahead of their suite while earlier suites test, so stack start leaves the critical path; 0 = none [default: ${DEFAULT_WARM_STACKS}]`,
    })
    .option('image', {
      type: 'string',
      describe: 'service image under test (tag or ID) [default: built from containers/pynomaly]',
    })
    .option('postgres-image', {
      type: 'string',
      describe: 'PostgreSQL image [default: built from containers/postgres]',
    })
    .option('redis-image', {
      type: 'string',
      describe: 'Redis image [default: built from containers/redis]',
    })
    .option('keep', {
      type: 'boolean',
      default: false,
      describe: "keep a failed suite's stack running until Ctrl-C",
    })
    .option('seed', {
      type: 'number',
      requiresArg: true,
      describe:
        'seed for sample data, the service and the order of test files and tests [default: random, recorded]',
    })
    .option('repeat', {
      type: 'number',
      requiresArg: true,
      describe: 'run each suite N times, each on a fresh stack (flake hunting)',
    })
    .option('iterations', {
      type: 'number',
      requiresArg: true,
      describe: `flakes: runs of each suite per load level [default: ${DEFAULT_HUNT_ITERATIONS}]`,
    })
    .option('loads', {
      type: 'string',
      describe: `flakes: load levels, any of ${LOAD_LEVELS.join(', ')} [default: both]`,
    })
    .option('shard', {
      type: 'string',
      describe: 'run: only shard i of n of the selected suites (e.g. 2/3), balanced by recorded durations',
    })
    .option('reports-dir', {
      type: 'string',
      describe: 'reports folder [default: test_reports/<time>-<run>]',
    })
    .option('list', { type: 'boolean', default: false, describe: 'list suites and markers, run nothing' })
    .version(false)
    .option('version', { type: 'boolean', default: false, describe: 'print the version and exit' })
    .option('service-env', {
      type: 'string',
      describe: 'extra service settings on every stack: KEY=VALUE[,KEY=VALUE]',
    })
    .strict()
    .help()
    .alias('help', 'h')
    .wrap(Math.min(120, process.stdout.columns ?? 100))
    .epilogue(HELP_EPILOGUE)
    .env(false)
    .parserConfiguration({ 'duplicate-arguments-array': true, 'camel-case-expansion': true })
    .exitProcess(false);
}

const camel = (flag: string) => flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

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

/** The text typed after the last `--flag`/`--flag=` (yargs turns non-numbers into NaN). */
function typed(argv: readonly string[], names: readonly string[]): string | undefined {
  let found: string | undefined;
  argv.forEach((arg, i) => {
    for (const name of names) {
      if (arg === name) found = argv[i + 1];
      else if (arg.startsWith(`${name}=`)) found = arg.slice(name.length + 1);
    }
  });
  return found;
}

/** A numeric flag, else its environment variable, else the fallback; NaN shows what was typed. */
function numberFlag(
  argv: readonly string[],
  rule: NumberRule & { alias?: string },
  flagValue: unknown,
  envValue: string | undefined,
  fallback?: number,
): number | undefined {
  const value = Array.isArray(flagValue) ? flagValue[flagValue.length - 1] : flagValue;
  const names = [`--${rule.flag}`, ...(rule.alias ? [`-${rule.alias}`] : [])];
  const raw = Number.isNaN(value) ? (typed(argv, names) ?? 'NaN') : (value ?? envValue);
  return readNumber(rule, raw, fallback);
}

/** Normal: the run's --parallel; oversubscribed: twice as many suites at once as there are cores. */
function huntLevels(
  levels: LoadLevel[],
  parallel: number,
  cpus: number | undefined,
  cores: number,
): HuntLevel[] {
  return levels.map((load) => ({
    load,
    parallel: load === 'normal' ? parallel : Math.min(64, Math.max(2, 2 * cores)),
    ...(cpus !== undefined ? { cpus } : {}),
  }));
}

function loads(raw: string | undefined): LoadLevel[] {
  const given = list(raw);
  if (given.length === 0) return [...LOAD_LEVELS];
  for (const g of given)
    if (!(LOAD_LEVELS as readonly string[]).includes(g))
      throw new UsageError(`--loads takes any of ${LOAD_LEVELS.join(', ')}, got "${g}"`);
  return LOAD_LEVELS.filter((l) => given.includes(l));
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
/** `--shard i/n`: 1 <= i <= n. */
export function parseShard(raw: string | undefined): Shard | undefined {
  if (raw === undefined) return undefined;
  const m = /^(\d+)\/(\d+)$/.exec(raw.trim());
  const [index, total] = m ? [Number(m[1]), Number(m[2])] : [0, 0];
  if (!m || total < 1 || index < 1 || index > total)
    throw new UsageError(`--shard takes i/n with 1 <= i <= n (e.g. 2/3), got "${raw}"`);
  return { index, total };
}

function shardOf(selected: readonly SuiteDefinition[], shard: Shard): SuiteDefinition[] {
  if (shard.total > selected.length)
    throw new UsageError(
      `--shard ${shard.index}/${shard.total}: only ${selected.length} suite(s) are selected; use at most ${selected.length} shards`,
    );
  return shardSuites(selected, shard);
}

export function parseConfig(
  argv: readonly string[],
  env: Env,
  ctx: ParseContext = defaultContext(),
): ParseOutcome {
  const { parsed, output } = runYargs(argv, env, ctx);
  if (parsed.help) return { kind: 'output', text: output };
  if (parsed.version) return { kind: 'output', text: ctx.version };

  const positional = (parsed._ as (string | number)[]).map(String);
  const command = (positional[0] ?? 'run') as CommandName;
  if (!(COMMANDS as readonly string[]).includes(command))
    throw new UsageError(`unknown command "${command}"; valid commands: ${COMMANDS.join(', ')}`);
  if (positional.length > 1 && command !== 'merge-reports')
    throw new UsageError(`unexpected argument "${positional[1]}"; suites are chosen with --suite`);
  const mergeDirs = list(parsed.dirs as string[] | string | undefined).map((d) => resolve(ctx.cwd, d));
  if (command === 'merge-reports' && mergeDirs.length === 0)
    throw new UsageError('merge-reports takes the run folders to combine: merge-reports <dir> <dir>...');

  const ci = Boolean(env.CI) && env.CI !== 'false' && env.CI !== '0';
  const suiteArgs = list(parsed.suite);
  const markers = parseMarkers(list(parsed.markers));
  const named = parseSuiteNames(suiteArgs);
  const selection =
    command === 'run' || command === 'health' || command === 'up' || command === 'flakes'
      ? selectSuites(named, markers)
      : { suites: [], tagsFilter: undefined };

  const shard = parseShard(last(parsed.shard) ?? env.PYNOMALY_IT_SHARD);
  const suites = shard && command === 'run' ? shardOf(selection.suites, shard) : selection.suites;

  const num = (rule: NumberRule & { alias?: string }, envValue?: string) =>
    numberFlag(argv, rule, parsed[camel(rule.flag)], envValue);
  const whole = (flag: string, min: number, max: number) => ({ flag, min, max, whole: true });
  const seed = num(whole('seed', 0, 2 ** 31 - 1), env.PYNOMALY_IT_SEED) ?? ctx.randomInt() % 1_000_000;
  const seedGiven = parsed.seed !== undefined || Boolean(env.PYNOMALY_IT_SEED);
  const timeoutSeconds =
    num({ flag: 'timeout', min: 0, above: true, max: MAX_TIMEOUT_SECONDS, whole: false }) ??
    DEFAULT_TIMEOUT_SECONDS;
  const parallel =
    num({ ...whole('parallel', 1, 64), alias: 'j' }, env.PYNOMALY_IT_PARALLEL) ?? defaultParallel(ctx.cores);
  const cpus = num(
    { flag: 'cpus', min: 0, above: true, max: ctx.cores, whole: false, why: "(the machine's cores)" },
    env.PYNOMALY_IT_CPUS,
  );
  const runId = newRunId(ctx.now, ctx.randomInt);
  const reportsRoot = resolve(ctx.cwd, env.PYNOMALY_IT_REPORTS_ROOT ?? DEFAULT_REPORTS_ROOT);
  const reportsDirRaw = last(parsed.reportsDir) ?? env.PYNOMALY_IT_REPORTS_DIR;
  const reportsDir = reportsDirRaw
    ? isAbsolute(reportsDirRaw)
      ? reportsDirRaw
      : resolve(ctx.cwd, reportsDirRaw)
    : command === 'flakes'
      ? join(reportsRoot, 'flakes', timestampForPath(ctx.now))
      : command === 'merge-reports'
        ? join(reportsRoot, `${timestampForPath(ctx.now)}-merged`)
        : join(reportsRoot, `${timestampForPath(ctx.now)}-${runId}`);
  const format = logFormat(last(parsed.logFormat), ci, ctx.stdoutIsTTY);

  const config: RunConfig = {
    command,
    runId,
    suites,
    mergeDirs,
    ...(shard ? { shard } : {}),
    ...(env.GITHUB_ACTIONS === 'true'
      ? { github: env.GITHUB_STEP_SUMMARY ? { stepSummary: env.GITHUB_STEP_SUMMARY } : {} }
      : {}),
    suiteArgs,
    markers,
    tagsFilter: selection.tagsFilter,
    coverage: Boolean(parsed.coverage),
    auth: Boolean(parsed.auth),
    failFast: Boolean(parsed.failFast),
    timeoutMs: Math.round(timeoutSeconds * 1000),
    maxFailures: num(whole('max-failures', 0, 1_000_000)) ?? DEFAULT_MAX_FAILURES,
    logLevel: logLevel(last(parsed.logLevel) ?? env.PYNOMALY_IT_LOG_LEVEL),
    logFormat: format,
    parallel,
    cpus,
    warmStacks: num(whole('warm-stacks', 0, 8), env.PYNOMALY_IT_WARM_STACKS) ?? DEFAULT_WARM_STACKS,
    images: {
      pynomaly: last(parsed.image) ?? env.PYNOMALY_IT_IMAGE,
      postgres: last(parsed.postgresImage) ?? env.PYNOMALY_IT_POSTGRES_IMAGE,
      redis: last(parsed.redisImage) ?? env.PYNOMALY_IT_REDIS_IMAGE,
    },
    keep: Boolean(parsed.keep),
    seed,
    seedGiven,
    repeat: num(whole('repeat', 1, 1000)) ?? 1,
    hunt: Object.freeze({
      iterations: num(whole('iterations', 1, 1000)) ?? DEFAULT_HUNT_ITERATIONS,
      levels: Object.freeze(huntLevels(loads(last(parsed.loads)), parallel, cpus, ctx.cores)),
    }),
    reportsDir,
    reportsRoot,
    list: Boolean(parsed.list) || command === 'list',
    ci,
    interactive: ctx.stdoutIsTTY && !ci && format === 'pretty',
    serviceEnv: Object.freeze(keyValues(last(parsed.serviceEnv) ?? env.PYNOMALY_IT_SERVICE_ENV)),
    cwd: ctx.cwd,
  };
  for (const key of Object.keys(config.images) as (keyof RunConfig['images'])[])
    if (config.images[key] === undefined || config.images[key] === '') delete config.images[key];
  Object.freeze(config.images);
  return { kind: 'config', config: Object.freeze(config) };
}
