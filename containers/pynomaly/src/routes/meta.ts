import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../context.ts';
import type { Prometheus } from '../http/prometheus.ts';
import { pingRedis } from '../redis.ts';
import { ErrorEnvelope } from '../schemas/common.ts';
import { healthResponses, probeResponses, Root } from '../schemas/meta.ts';

async function checkDatabase(app: AppContext) {
  const started = performance.now();
  try {
    await Promise.race([
      app.db.query('SELECT 1'),
      new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 2_000).unref()),
    ]);
    return { status: 'healthy' as const, latency_ms: performance.now() - started };
  } catch (error) {
    return {
      status: 'unhealthy' as const,
      latency_ms: performance.now() - started,
      error: (error as Error).message,
    };
  }
}

async function checkRedis(app: AppContext) {
  const started = performance.now();
  if (!app.redis) return { status: 'unhealthy' as const, latency_ms: 0, error: 'not configured' };
  const result = await pingRedis(app.redis.command);
  return result.ok
    ? { status: 'healthy' as const, latency_ms: performance.now() - started }
    : {
        status: 'unhealthy' as const,
        latency_ms: performance.now() - started,
        error: result.error ?? 'down',
      };
}

/** Health, probes and root (public), Prometheus metrics and the OpenAPI document; no envelope. */
export const metaRoutes: FastifyPluginAsyncTypebox<{ prometheus: Prometheus }> = async (
  app,
  { prometheus },
) => {
  const open = { public: true };
  app.get('/', { config: open, schema: { tags: ['meta'], response: { 200: Root } } }, async () => ({
    message: 'Pynomaly anomaly-detection API',
    version: app.serviceVersion,
    docs: '/api/docs',
  }));

  app.get(
    '/api/health',
    {
      config: open,
      schema: { tags: ['health'], summary: 'Health with dependency checks', response: healthResponses },
    },
    async (_request, reply) => {
      const [database, redis] = await Promise.all([checkDatabase(app), checkRedis(app)]);
      // Without PostgreSQL nothing works; without Redis the service runs degraded.
      const status =
        database.status !== 'healthy' ? 'unhealthy' : redis.status !== 'healthy' ? 'degraded' : 'healthy';
      return reply.status(status === 'unhealthy' ? 503 : 200).send({
        status,
        timestamp: new Date().toISOString(),
        version: app.serviceVersion,
        uptime_seconds: process.uptime(),
        checks: { database, redis },
      });
    },
  );

  app.get(
    '/api/health/live',
    { config: open, schema: { tags: ['health'], response: probeResponses } },
    async () => ({
      status: 'alive',
      timestamp: new Date().toISOString(),
    }),
  );

  app.get(
    '/api/health/ready',
    { config: open, schema: { tags: ['health'], response: probeResponses } },
    async (_request, reply) => {
      const database = await checkDatabase(app);
      const ready = database.status === 'healthy' && !app.jobs.isClosed;
      return reply
        .status(ready ? 200 : 503)
        .send({ status: ready ? 'ready' : 'not_ready', timestamp: new Date().toISOString() });
    },
  );

  // /metrics and the OpenAPI document need credentials when auth is on (any role).
  app.get(
    '/metrics',
    {
      schema: {
        tags: ['meta'],
        summary: 'Prometheus text exposition',
        response: { 200: Type.String({ description: 'text/plain; version=0.0.4' }), '4xx': ErrorEnvelope },
      },
    },
    async (_request, reply) => {
      const text = await prometheus.registry.metrics();
      return reply.type(prometheus.registry.contentType).send(text);
    },
  );

  app.get(
    '/api/openapi.json',
    {
      schema: {
        tags: ['meta'],
        summary: 'This OpenAPI 3.1 document',
        response: {
          200: Type.Object({ openapi: Type.String() }, { additionalProperties: true }),
          '4xx': ErrorEnvelope,
        },
      },
    },
    async () => app.swagger() as unknown as { openapi: string },
  );
};
