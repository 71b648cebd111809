/**
 * The service under load against a bare fastify route served from the same image. One stack (the
 * orchestrator's startStack, rate limit raised so the limiter never answers 429 here) with a
 * trained isolation forest; beside it a container of the same pynomaly image running a minimal
 * fastify app from the image's own node_modules, whose routes take the same requests (same path,
 * headers and body; JSON parsed, multipart read to its end) and answer a small JSON.
 *
 * Workloads: single-row predict, 1,000-row batch predict, a 200-row CSV upload; and two that
 * explain the gap (no target): GET /api/health/live (the service's framework and hooks, no
 * database, not rate limited) and GET /api/detectors/:id (plus the rate limiter's Redis call and
 * one query), each against the bare app's catch-all GET. Each is warmed up
 * on both sides, then run service, bare, bare, service (drift in the machine's load falls on both).
 * Loopback only; every run is bounded by its duration and connection count.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SERVICE_PORT } from '../src/orchestrator/stack/service-env.ts';
import { FEATURES, featureRows, sampleDataset, toCsv } from '../src/suites/fixtures/sample-data.ts';
import { type AutocannonResult, combine, fire, type Shot } from './lib/autocannon.ts';
import { freePort, httpOk, until } from './lib/probes.ts';
import { must, timed } from './lib/process.ts';
import type { LoadFigures, LoadWorkload } from './lib/results.ts';
import { openScope } from './lib/scope.ts';
import { round } from './lib/stats.ts';

const CONNECTIONS = 8;
const SECONDS = 8;
const WARMUP_SECONDS = 2;

/** The bare app: fastify with the service's body limit, nothing else. Runs as `node -e` in /app. */
export const BARE_APP = `
const app = require('fastify')({ logger: false, bodyLimit: 32 * 1024 * 1024 });
app.addContentTypeParser('multipart/form-data', (request, payload, done) => {
  let bytes = 0;
  payload.on('data', (d) => { bytes += d.length; });
  payload.on('end', () => done(null, { bytes }));
  payload.on('error', done);
});
app.get('/*', async () => ({ data: { ok: true } }));
app.post('/api/detection/predict/:id', async (request) => ({ data: { rows: request.body.data.length } }));
app.post('/api/datasets/upload', async (request, reply) => reply.status(201).send({ data: request.body }));
app.listen({ host: '0.0.0.0', port: ${SERVICE_PORT} });
`;

async function api(
  base: string,
  path: string,
  init: RequestInit & { expect: number },
): Promise<{ id: string }> {
  const response = await fetch(`${base}${path}`, { ...init, signal: AbortSignal.timeout(60_000) });
  const text = await response.text();
  if (response.status !== init.expect)
    throw new Error(`${init.method ?? 'GET'} ${path} answered ${response.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text).data;
}

export async function benchLoad(cwd: string, log: (line: string) => void): Promise<LoadFigures> {
  const scope = await openScope('load');
  const dir = await mkdtemp(join(tmpdir(), 'pit-bench-load-'));
  try {
    const barePort = await freePort();
    const bareName = `pit-${scope.runId.slice(-8)}-bare`;
    const [stack] = await Promise.all([
      scope.core.startStack({
        authEnabled: false,
        logLevel: 'warn',
        seed: 1,
        coverage: false,
        runId: scope.runId,
        suite: 'bench-load',
        images: scope.images,
        reportsDir: dir,
        extraEnv: { PYNOMALY_API_RATE_LIMIT: '1000000' },
      }),
      must('docker', [
        'run',
        '-d',
        '--name',
        bareName,
        ...scope.labelArgs('bare'),
        '-p',
        `127.0.0.1:${barePort}:${SERVICE_PORT}`,
        scope.images.pynomaly,
        'node',
        '-e',
        BARE_APP,
      ]),
    ]);
    const service = stack.endpoints.httpUrl;
    const bare = `http://127.0.0.1:${barePort}`;
    await until('bare fastify', () => httpOk(`${bare}/ready`), 60_000);

    // A trained isolation forest on upstream's sample data (1,000 rows, three features).
    const form = new FormData();
    form.append('file', new Blob([toCsv(sampleDataset(42, 1000))], { type: 'text/csv' }), 'sample.csv');
    form.append('name', 'bench-load-training');
    form.append('target_column', 'label');
    const dataset = await api(service, '/api/datasets/upload', { method: 'POST', body: form, expect: 201 });
    const detector = await api(service, `/api/detectors/create?dataset_id=${dataset.id}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'bench-load', algorithm: 'isolation_forest', feature_columns: FEATURES }),
      expect: 201,
    });
    await api(service, `/api/detection/train/${detector.id}`, { method: 'POST', expect: 200 });

    const rows = featureRows(sampleDataset(5, 1000), FEATURES);
    const single = join(dir, 'single.json');
    const batch = join(dir, 'batch.json');
    const csv = join(dir, 'upload.csv');
    await writeFile(single, JSON.stringify({ data: rows.slice(0, 1) }));
    await writeFile(batch, JSON.stringify({ data: rows }));
    await writeFile(csv, toCsv(sampleDataset(6, 200)));
    const predict = `/api/detection/predict/${detector.id}`;
    const upload = {
      file: { type: 'file', path: csv, options: { filename: 'load.csv', contentType: 'text/csv' } },
      name: { type: 'text', value: 'bench-load-upload' },
    };
    const workloads: Record<string, (base: string) => Omit<Shot, 'connections' | 'seconds'>> = {
      'predict, 1 row': (base) => ({ url: `${base}${predict}`, jsonFile: single }),
      'predict, 1,000 rows': (base) => ({ url: `${base}${predict}`, jsonFile: batch }),
      'upload, 200-row CSV': (base) => ({ url: `${base}/api/datasets/upload`, form: upload }),
      'GET /api/health/live': (base) => ({ url: `${base}/api/health/live` }),
      'GET /api/detectors/:id': (base) => ({ url: `${base}/api/detectors/${detector.id}` }),
    };

    const figures: Record<string, LoadWorkload> = {};
    for (const [name, shotOf] of Object.entries(workloads)) {
      const shot = (base: string, seconds: number): Shot => ({
        ...shotOf(base),
        connections: CONNECTIONS,
        seconds,
      });
      await fire(shot(service, WARMUP_SECONDS), cwd);
      await fire(shot(bare, WARMUP_SECONDS), cwd);
      const runs: Record<'service' | 'bare', AutocannonResult[]> = { service: [], bare: [] };
      for (const side of ['service', 'bare', 'bare', 'service'] as const) {
        const r = await fire(shot(side === 'service' ? service : bare, SECONDS), cwd);
        log(
          `load ${name} ${side}: ${r['2xx']} ok, ${r.non2xx} non-2xx, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms`,
        );
        runs[side].push(r);
      }
      const s = combine(runs.service);
      const b = combine(runs.bare);
      figures[name] = {
        service: s,
        bare: b,
        ratio: round(s.requestsPerSecond / Math.max(1e-9, b.requestsPerSecond), 3),
      };
    }
    await timed('docker', ['rm', '-f', bareName]);
    await stack.stop();
    return { connections: CONNECTIONS, secondsPerRun: SECONDS, runsPerSide: 2, workloads: figures };
  } finally {
    await scope.close();
    await rm(dir, { recursive: true, force: true });
  }
}
