import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { EXIT } from '../config/errors.ts';
import type { RunConfig } from '../config/types.ts';
import type { CommandDeps } from '../session/deps.ts';
import { Session } from '../session/session.ts';
import type { RunningStack } from '../stack/types.ts';
import { type Check, renderChecks, runChecks } from './health-checks.ts';
import { commandOutput } from './output.ts';
import { watchInterrupts } from './signals.ts';

const MIN_NODE = [20, 19];

async function api(stack: RunningStack, token: string | undefined, path: string, init: RequestInit = {}) {
  const headers = new Headers(init.headers);
  if (token) headers.set('authorization', `Bearer ${token}`);
  const response = await fetch(`${stack.endpoints.httpUrl}${path}`, {
    ...init,
    headers,
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  if (!response.ok)
    throw new Error(`${init.method ?? 'GET'} ${path} → ${response.status}: ${text.slice(0, 200)}`);
  const data = (body as { data?: unknown }).data;
  return (data ?? body) as Record<string, unknown>;
}

function sampleCsv(seed: number): string {
  // Small, deterministic: two features around 0 and one obvious outlier.
  let x = seed % 997;
  const next = () => {
    x = (x * 16807) % 2147483647;
    return (x % 1000) / 1000 - 0.5;
  };
  const rows = ['a,b'];
  for (let i = 0; i < 60; i++) rows.push(`${next().toFixed(3)},${next().toFixed(3)}`);
  rows.push('25,-25');
  return `${rows.join('\n')}\n`;
}

/** `health`: upstream's health check, a table of checks; exit 2 if any fails. */
export async function healthCommand(config: RunConfig, deps: CommandDeps): Promise<number> {
  const { logger, print } = commandOutput(config);
  await using session = new Session(config, await deps.core(), logger);
  const interrupts = watchInterrupts(() => logger.warn('interrupted: removing the health stack'));
  let stack: RunningStack | undefined;
  let token: string | undefined;
  let datasetId = '';
  const checks: Check[] = [
    {
      name: 'node version',
      run: async () => {
        const [major, minor] = process.versions.node.split('.').map(Number);
        if (major < MIN_NODE[0] || (major === MIN_NODE[0] && minor < MIN_NODE[1]))
          throw new Error(`node ${process.versions.node} < ${MIN_NODE.join('.')}`);
        return `node ${process.versions.node}`;
      },
    },
    {
      name: 'dependencies installed',
      run: async () => {
        const needed = ['node_modules/vitest', 'node_modules/yargs', 'node_modules/dockerode'];
        const missing = needed.filter((p) => !existsSync(join(config.cwd, p)));
        // The service is a workspace: its packages may be hoisted to the root or kept in its folder.
        const service = createRequire(join(config.cwd, 'containers/pynomaly/package.json'));
        for (const name of ['fastify', 'typescript']) {
          try {
            service.resolve(name);
          } catch {
            missing.push(`${name} of containers/pynomaly`);
          }
        }
        if (missing.length) throw new Error(`missing ${missing.join(', ')}: run npm ci`);
        return 'root and service packages installed';
      },
    },
    {
      name: 'container engine',
      run: async () => {
        const info = await session.connect();
        return `engine ${String(info.version ?? '?')} (API ${String(info.apiVersion ?? '?')})`;
      },
    },
    {
      name: 'images',
      run: async () => {
        const { images } = await session.resolveImages();
        return `service ${images.pynomaly}, postgres ${images.postgres}, redis ${images.redis}`;
      },
    },
    {
      name: 'stack starts',
      run: async () => {
        stack = await session.startStack({ suite: 'health', reportsDir: join(config.reportsDir, 'health') });
        return stack.endpoints.httpUrl;
      },
    },
    {
      name: 'GET /api/health',
      run: async () => {
        const health = await api(stack!, undefined, '/api/health');
        if (health.status !== 'healthy')
          throw new Error(`status ${String(health.status)}: ${JSON.stringify(health.checks)}`);
        return `healthy ${JSON.stringify(health.checks)}`;
      },
    },
    {
      name: 'sample data written',
      run: async () => {
        const e = stack!.endpoints;
        if (e.authEnabled) {
          const login = await api(stack!, undefined, '/api/auth/login', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(e.admin),
          });
          token = String(login.access_token);
        }
        const form = new FormData();
        form.set('file', new Blob([sampleCsv(config.seed)], { type: 'text/csv' }), 'health.csv');
        form.set('name', `health-${config.runId}`);
        form.set('description', 'pynomaly-it health check');
        const dataset = await api(stack!, token, '/api/datasets/upload', { method: 'POST', body: form });
        datasetId = String(dataset.id);
        const back = await api(stack!, token, `/api/datasets/${datasetId}`);
        return `dataset ${datasetId} (${String(back.rows ?? dataset.rows)} rows) uploaded and read back`;
      },
    },
    {
      name: 'smoke predict',
      run: async () => {
        const json = { 'content-type': 'application/json' };
        const detector = await api(stack!, token, `/api/detectors/create?dataset_id=${datasetId}`, {
          method: 'POST',
          headers: json,
          body: JSON.stringify({
            name: 'health',
            description: 'health',
            algorithm: 'zscore',
            parameters: {},
            feature_columns: ['a', 'b'],
          }),
        });
        await api(stack!, token, `/api/detection/train/${String(detector.id)}`, { method: 'POST' });
        const predicted = await api(stack!, token, `/api/detection/predict/${String(detector.id)}`, {
          method: 'POST',
          headers: json,
          body: JSON.stringify({
            data: [
              { a: 0.01, b: -0.02 },
              { a: 40, b: -40 },
            ],
          }),
        });
        const rows = (
          Array.isArray(predicted)
            ? predicted
            : ((predicted as { predictions?: unknown[] }).predictions ?? [])
        ) as {
          is_anomaly?: boolean;
        }[];
        if (rows.length !== 2)
          throw new Error(`expected 2 predictions, got ${JSON.stringify(predicted).slice(0, 200)}`);
        if (rows[1].is_anomaly !== true)
          throw new Error(`the obvious outlier was not flagged: ${JSON.stringify(rows[1])}`);
        return 'zscore detector trained; an obvious outlier flagged';
      },
    },
  ];
  try {
    const results = await runChecks(checks, (r) =>
      logger.debug({ check: r.name, status: r.status, ms: r.ms }, `${r.name}: ${r.status} ${r.detail}`),
    );
    if (interrupts.signal.aborted) return EXIT.interrupted;
    print(`\nHealth of pynomaly-it (run ${config.runId}):\n${renderChecks(results)}`);
    return results.every((r) => r.status === 'ok') ? EXIT.passed : EXIT.setupOrUsage;
  } finally {
    interrupts.dispose();
  }
}
