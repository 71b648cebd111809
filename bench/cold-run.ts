/**
 * Cold run: from an engine with none of our images (not even debian:bookworm-slim) to a green
 * hermetic run, in a fresh clone with `npm ci`. The engine is a second dockerd with an empty data
 * root (scripts/lib/second-engine.sh), so the main engine's images are never removed.
 *
 * That engine runs with --iptables=false (its own rules would reset the main engine's), so its
 * containers have no way out, and `docker build`'s apt-get cannot reach the Debian mirror. For the
 * run's length this part adds three rules of its own for that engine's address pool (forward out,
 * replies back, masquerade) and deletes exactly those at the end.
 *
 * Timed: clone, npm ci (npm's cache on this machine is warm, as on any developer's second clone),
 * images (debootstrap base + every image built on the empty engine), run (all suites).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { must, timed } from './lib/process.ts';
import type { ColdRunFigures, Step } from './lib/results.ts';
import { round } from './lib/stats.ts';

const MINUTE = 60_000;

/** Parses second-engine.sh's KEY=VALUE lines. */
export function parseEnv(text: string): Record<string, string> {
  return Object.fromEntries(
    text
      .split('\n')
      .map((l) => l.match(/^([A-Z]+)=(.*)$/))
      .filter((m): m is RegExpMatchArray => m !== null)
      .map((m) => [m[1], m[2]]),
  );
}

/** The egress rules of one engine's pool, as iptables argv without the -I/-D verb. */
export function egressRules(subnet: string, bridge: string): string[][] {
  return [
    ['DOCKER-USER', '-s', subnet, '!', '-d', subnet, '-j', 'ACCEPT'],
    ['DOCKER-USER', '-d', subnet, '-m', 'conntrack', '--ctstate', 'RELATED,ESTABLISHED', '-j', 'ACCEPT'],
    ['-t', 'nat', 'POSTROUTING', '-s', subnet, '!', '-o', bridge, '-j', 'MASQUERADE'],
  ];
}

/** `-t nat CHAIN ...` → `-t nat -I CHAIN ...`: the verb goes before the chain. */
function withVerb(rule: string[], verb: '-I' | '-D'): string[] {
  return rule[0] === '-t' ? [rule[0], rule[1], verb, ...rule.slice(2)] : [verb, ...rule];
}

/** What any run left behind on the engine of `env`: everything carries the pynomaly-it.run label. */
async function leftoversOn(env: NodeJS.ProcessEnv): Promise<string[]> {
  const lists = [
    ['ps', '-a', '--filter', 'label=pynomaly-it.run', '--format', 'container {{.Names}}'],
    ['network', 'ls', '--filter', 'label=pynomaly-it.run', '--format', 'network {{.Name}}'],
    ['volume', 'ls', '--filter', 'label=pynomaly-it.run', '--format', 'volume {{.Name}}'],
  ];
  const found: string[] = [];
  for (const args of lists) {
    const r = await timed('docker', args, { env });
    found.push(...r.output.split('\n').filter((l) => l.trim() !== ''));
  }
  return found;
}

export async function benchColdRun(mainRepo: string, log: (line: string) => void): Promise<ColdRunFigures> {
  const script = join(mainRepo, 'scripts/lib/second-engine.sh');
  const work = await mkdtemp(join(tmpdir(), 'pit-bench-cold-'));
  const up = await timed('bash', [script, 'up'], { timeoutMs: 2 * MINUTE });
  const engine = parseEnv(up.output);
  if (up.code !== 0 || !engine.DIR || !engine.UNIX)
    throw new Error(`second engine did not start: ${up.output.slice(-600)}`);
  log(`cold-run: second engine ${engine.UNIX} (pid ${engine.PID})`);
  const added: string[][] = [];
  try {
    for (const rule of egressRules(engine.SUBNET, engine.BRIDGE)) {
      await must('iptables', withVerb(rule, '-I'));
      added.push(rule);
    }
    const env = { ...process.env, DOCKER_HOST: engine.UNIX };
    const repo = join(work, 'repo');
    const steps: Record<string, Step> = {};
    const plan: { name: string; command: string[]; cwd: string; timeoutMs: number }[] = [
      {
        name: 'clone',
        command: ['git', 'clone', '--quiet', mainRepo, repo],
        cwd: work,
        timeoutMs: 2 * MINUTE,
      },
      {
        name: 'npm ci',
        command: ['npm', 'ci', '--no-audit', '--no-fund'],
        cwd: repo,
        timeoutMs: 10 * MINUTE,
      },
      {
        name: 'images',
        command: ['npx', 'tsx', 'src/orchestrator/cli.ts', 'images'],
        cwd: repo,
        timeoutMs: 15 * MINUTE,
      },
      {
        name: 'run',
        command: ['npx', 'tsx', 'src/orchestrator/cli.ts', 'run', '--reports-dir', join(work, 'reports')],
        cwd: repo,
        timeoutMs: 20 * MINUTE,
      },
    ];
    const started = performance.now();
    let passed = true;
    for (const step of plan) {
      const [command, ...args] = step.command;
      const r = await timed(command, args, { cwd: step.cwd, env, timeoutMs: step.timeoutMs });
      steps[step.name] = { seconds: round(r.ms / 1000, 1), passed: r.code === 0 };
      log(
        `cold-run: ${step.name} ${steps[step.name].seconds} s, ${r.timedOut ? 'timed out' : `exit ${r.code}`}`,
      );
      if (r.code !== 0) {
        log(r.output.slice(-2000));
        passed = false;
        break;
      }
    }
    const totalSeconds = round((performance.now() - started) / 1000, 1);
    const images = await timed('docker', ['images', '--format', '{{.Repository}}:{{.Tag}}'], { env });
    log(`cold-run: images on the second engine now: ${images.output.trim().split('\n').join(', ')}`);
    const leftovers = await leftoversOn(env);
    log(`cold-run: left on the second engine: ${leftovers.length === 0 ? 'nothing' : leftovers.join(', ')}`);
    return {
      totalSeconds,
      passed,
      steps,
      engine: 'second dockerd, empty data root (scripts/lib/second-engine.sh)',
      dockerHost: engine.UNIX,
      leftovers,
    };
  } finally {
    for (const rule of added.reverse()) await timed('iptables', withVerb(rule, '-D'));
    const down = await timed('bash', [script, 'down', engine.DIR], { timeoutMs: 2 * MINUTE });
    log(`cold-run: ${down.output.trim().split('\n').pop()}`);
    await rm(work, { recursive: true, force: true });
  }
}
