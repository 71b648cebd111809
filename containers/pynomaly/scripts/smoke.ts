/**
 * Dev smoke test of the main workflow against a running service (real PostgreSQL and Redis):
 *   npx tsx scripts/smoke.ts [http://127.0.0.1:8000] [--username admin --password ...]
 * upload the 1,000-row sample (5% anomalies) → isolation_forest detector → train → predict
 * [0.5,0.3,0.1] and [5.0,4.8,3.2] → validate, then events, streaming (REST + WebSocket),
 * an experiment and an AutoML job. Prints each result; exits 1 at the first failed check.
 */

import WebSocket from 'ws';
import { seededRandom } from '../src/algorithms/random.ts';

const args = process.argv.slice(2);
const base = (args.find((a) => a.startsWith('http')) ?? 'http://127.0.0.1:8000').replace(/\/$/, '');
const option = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
let token: string | undefined;

function check(condition: boolean, what: string): void {
  console.log(`${condition ? 'ok  ' : 'FAIL'} ${what}`);
  if (!condition) process.exit(1);
}

async function call(
  method: string,
  path: string,
  body?: unknown,
  form?: FormData,
): Promise<{ status: number; json: any }> {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${base}${path}`, {
    method,
    headers,
    body: form ?? (body === undefined ? undefined : JSON.stringify(body)),
  });
  const text = await res.text();
  let json: any = text;
  try {
    json = JSON.parse(text);
  } catch {}
  return { status: res.status, json };
}

async function data(method: string, path: string, body?: unknown, form?: FormData): Promise<any> {
  const res = await call(method, path, body, form);
  if (res.status >= 300 || res.json?.success !== true) {
    console.log(`FAIL ${method} ${path} → ${res.status} ${JSON.stringify(res.json).slice(0, 400)}`);
    process.exit(1);
  }
  return res.json.data;
}

/** Same recipe as the suites' sample: 3 standard-normal features, 5% anomalies around (4,4,4). */
function sampleCsv(seed = 42, rows = 1000): string {
  const uniform = seededRandom(seed);
  const normal = (mean: number, sd: number) =>
    mean + sd * Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
  const anomalies = new Set<number>();
  const pick = seededRandom(seed + 1);
  while (anomalies.size < rows * 0.05) anomalies.add(Math.floor(pick() * rows));
  const lines = ['feature1,feature2,feature3,label,timestamp'];
  for (let i = 0; i < rows; i++) {
    const a = anomalies.has(i);
    const f = () => (a ? normal(4, 0.5) : normal(0, 1)).toFixed(6);
    lines.push(
      `${f()},${f()},${f()},${a ? 1 : 0},${new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString()}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

async function poll<T>(read: () => Promise<T>, done: (v: T) => boolean, ms = 90_000): Promise<T> {
  const deadline = Date.now() + ms;
  let value = await read();
  while (!done(value) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 500));
    value = await read();
  }
  return value;
}

async function main() {
  const health = await call('GET', '/api/health');
  console.log(`health: ${health.status} ${JSON.stringify(health.json)}`);
  const username = option('username');
  const password = option('password');
  if (username && password)
    token = (await data('POST', '/api/auth/login', { username, password })).access_token;

  const form = new FormData();
  form.append('name', 'smoke-sample');
  form.append('description', '1,000 rows, 5% anomalies');
  form.append('target_column', 'label');
  form.append('file', new Blob([sampleCsv()], { type: 'text/csv' }), 'sample.csv');
  const dataset = await data('POST', '/api/datasets/upload', undefined, form);
  check(
    dataset.rows === 1000 && dataset.status === 'uploaded',
    `upload: ${dataset.rows} rows, columns ${dataset.columns.join(',')}`,
  );

  const detector = await data('POST', `/api/detectors/create?dataset_id=${dataset.id}`, {
    name: 'smoke-iforest',
    algorithm: 'isolation_forest',
    parameters: { contamination: 0.05 },
    feature_columns: ['feature1', 'feature2', 'feature3'],
  });
  check(
    detector.status === 'created',
    `detector ${detector.id} created (${JSON.stringify(detector.parameters)})`,
  );

  const training = await data('POST', `/api/detection/train/${detector.id}`);
  check(
    training.status === 'completed',
    `train: model ${training.model_id}, ${training.training_time.toFixed(3)} s, metrics ${JSON.stringify(training.metrics)}`,
  );

  const [normal, anomalous] = await data('POST', `/api/detection/predict/${detector.id}`, {
    data: [
      { feature1: 0.5, feature2: 0.3, feature3: 0.1 },
      { feature1: 5.0, feature2: 4.8, feature3: 3.2 },
    ],
  });
  check(!normal.is_anomaly, `predict [0.5,0.3,0.1] → ${JSON.stringify(normal)}`);
  check(anomalous.is_anomaly, `predict [5.0,4.8,3.2] → ${JSON.stringify(anomalous)}`);

  const validation = await data('POST', `/api/detection/validate/${detector.id}`, { dataset_id: dataset.id });
  check(validation.metrics.accuracy > 0.8, `validate: ${JSON.stringify(validation.metrics)}`);

  const events = await data('POST', '/api/events/query', { detector_id: detector.id, limit: 10 });
  check(events.total === 1, `events of the predict: ${events.total} (${events.events[0]?.severity})`);

  const session = await data('POST', '/api/streaming/sessions', {
    name: 'smoke-session',
    detector_id: detector.id,
    configuration: { processing_mode: 'real_time', batch_size: 1, max_throughput: 100 },
  });
  await data('POST', `/api/streaming/sessions/${session.id}/start`);
  const wsUrl = `${base.replace(/^http/, 'ws')}/api/streaming/sessions/${session.id}/live`;
  const socket = new WebSocket(wsUrl, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const frames: { type: string; payload: any }[] = [];
  socket.on('message', (raw) => frames.push(JSON.parse(raw.toString())));
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  socket.send(
    JSON.stringify({
      type: 'points',
      payload: [
        { feature1: 0, feature2: 0, feature3: 0 },
        { feature1: 9, feature2: 9, feature3: 9 },
      ],
    }),
  );
  socket.send('not json');
  const rest = await data('POST', `/api/streaming/sessions/${session.id}/process`, {
    data: { feature1: 0.1, feature2: 0.2, feature3: 0.3 },
  });
  await poll(
    async () => frames.filter((f) => f.type === 'score').length,
    (n) => n >= 3,
    5_000,
  );
  console.log(`     frames: ${frames.map((f) => f.type).join(', ')}`);
  check(frames[0]?.type === 'connected', 'socket: connected first');
  check(
    frames.filter((f) => f.type === 'score').length === 3,
    `socket: 3 score frames (REST sequence ${rest.sequence})`,
  );
  check(
    frames.some((f) => f.type === 'alert') && frames.some((f) => f.type === 'error'),
    'socket: an alert and an error frame',
  );
  socket.close();
  const metrics = await data('GET', `/api/streaming/sessions/${session.id}/metrics`);
  check(
    metrics.messages_processed === 3 && metrics.anomalies_detected === 1,
    `session metrics ${JSON.stringify(metrics)}`,
  );
  await data('POST', `/api/streaming/sessions/${session.id}/stop`);

  const experiment = await data('POST', '/api/experiments/create', {
    name: 'smoke-experiment',
    dataset_id: dataset.id,
    algorithms: [
      { name: 'isolation_forest', parameters: { contamination: 0.05 } },
      { name: 'zscore' },
      { name: 'hbos' },
    ],
    evaluation_metrics: ['roc_auc'],
    cross_validation: { enabled: true, folds: 3 },
  });
  await data('POST', `/api/experiments/${experiment.id}/run`);
  const results = await poll(
    () => data('GET', `/api/experiments/${experiment.id}/results`),
    (r) => r.status === 'completed' || r.status === 'failed',
  );
  check(
    results.status === 'completed',
    `experiment: best ${results.best_algorithm}; ${results.algorithm_results.map((r: any) => `${r.algorithm_name} ${r.metrics.roc_auc.toFixed(4)} [${r.cross_validation_scores.map((s: number) => s.toFixed(3)).join(' ')}]`).join('; ')}`,
  );

  const job = await data('POST', '/api/autonomous/automl/start', {
    job_name: 'smoke-automl',
    dataset_id: dataset.id,
    algorithms: ['isolation_forest', 'zscore', 'hbos'],
    optimization_metric: 'roc_auc',
    max_trials: 6,
    max_duration_minutes: 1,
  });
  const status = await poll(
    () => data('GET', `/api/autonomous/automl/${job.id}/status`),
    (s) => s.status === 'completed' || s.status === 'failed',
  );
  const automl = await data('GET', `/api/autonomous/automl/${job.id}/results`);
  check(
    status.status === 'completed',
    `automl: ${status.current_trial} trials, best ${status.best_score} (${automl.best_model?.algorithm} ${JSON.stringify(automl.best_model?.parameters)})`,
  );
  console.log('smoke: all checks passed');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
