import type { HuntLevel, RunConfig } from '../config/types.ts';

/**
 * `run` arguments for one load level of a flake hunt: the selected suites --iterations times
 * (`--repeat`), at the level's --parallel/--cpus, every test run (no bail), reports in `dir`.
 */
export function huntRunArgs(config: RunConfig, level: HuntLevel, dir: string): string[] {
  const args = ['run', '--repeat', String(config.hunt.iterations), '--parallel', String(level.parallel)];
  for (const s of config.suites) args.push('--suite', s.name);
  if (config.markers.length > 0) args.push('--markers', config.markers.join(','));
  if (level.cpus !== undefined) args.push('--cpus', String(level.cpus));
  if (config.seedGiven) args.push('--seed', String(config.seed));
  if (config.auth) args.push('--auth');
  args.push('--timeout', String(config.timeoutMs / 1000), '--max-failures', '0');
  args.push('--log-level', config.logLevel, '--log-format', config.logFormat);
  if (config.images.pynomaly) args.push('--image', config.images.pynomaly);
  if (config.images.postgres) args.push('--postgres-image', config.images.postgres);
  if (config.images.redis) args.push('--redis-image', config.images.redis);
  const env = Object.entries(config.serviceEnv).map(([k, v]) => `${k}=${v}`);
  if (env.length > 0) args.push('--service-env', env.join(','));
  args.push('--reports-dir', dir);
  return args;
}
