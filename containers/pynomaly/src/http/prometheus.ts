import type { FastifyInstance } from 'fastify';
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

export interface Prometheus {
  registry: Registry;
  predictions: Counter;
  anomalies: Counter;
}

/** Process metrics plus request counts/latency by route template (never by raw URL: bounded labels). */
export function createPrometheus(app: FastifyInstance): Prometheus {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const duration = new Histogram({
    name: 'pynomaly_http_request_duration_seconds',
    help: 'HTTP request latency by method, route and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const predictions = new Counter({
    name: 'pynomaly_predictions_total',
    help: 'Rows scored by predict and streaming',
    registers: [registry],
  });
  const anomalies = new Counter({
    name: 'pynomaly_anomalies_total',
    help: 'Rows flagged as anomalies by predict and streaming',
    registers: [registry],
  });
  app.addHook('onResponse', async (request, reply) => {
    duration.observe(
      {
        method: request.method,
        route: request.routeOptions.url ?? 'unknown',
        status: String(reply.statusCode),
      },
      reply.elapsedTime / 1000,
    );
  });
  return { registry, predictions, anomalies };
}
