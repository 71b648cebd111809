import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import jwt from '@fastify/jwt';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import websocket from '@fastify/websocket';
import Fastify, {
  type FastifyInstance,
  type FastifyReply,
  type FastifyServerOptions,
  LogController,
} from 'fastify';
import { registerAuthentication } from './auth/authenticate.ts';
import type { AppResources } from './context.ts';
import { registerErrorHandlers } from './http/error-handler.ts';
import { ApiError } from './http/errors.ts';
import { refuseNonFiniteQuery } from './http/finite-query.ts';
import { answerFrameworkError } from './http/framework-errors.ts';
import { registerJsonParser } from './http/json-depth.ts';
import { createPrometheus } from './http/prometheus.ts';
import { rateLimitKey } from './http/rate-limit-key.ts';
import { requestIdFor } from './http/request-id.ts';
import { backgroundJobs } from './plugins/background-jobs.ts';
import { computePool } from './plugins/compute.ts';
import { database } from './plugins/database.ts';
import { modelStore } from './plugins/model-store.ts';
import { redisClients } from './plugins/redis.ts';
import { settings } from './plugins/settings.ts';
import { streamingHub } from './plugins/streaming-hub.ts';
import { authRoutes } from './routes/auth.ts';
import { automlRoutes } from './routes/automl.ts';
import { datasetRoutes } from './routes/datasets.ts';
import { detectionRoutes } from './routes/detection.ts';
import { detectorRoutes } from './routes/detectors.ts';
import { eventRoutes } from './routes/events.ts';
import { experimentRoutes } from './routes/experiments.ts';
import { metaRoutes } from './routes/meta.ts';
import { modelMonitoringRoutes } from './routes/model-monitoring.ts';
import { modelRegistryRoutes } from './routes/model-registry.ts';
import { modelRoutes } from './routes/models.ts';
import { performanceRoutes } from './routes/performance.ts';
import { MAX_FRAME_BYTES, streamingRoutes } from './routes/streaming.ts';
import { UploadForm } from './schemas/datasets.ts';

/** Paths never rate limited: probes and scraping must keep working under a flood. */
const UNLIMITED = [/^\/api\/health(\/|$|\?)/, /^\/metrics(\?|$)/];

export interface BuildOptions {
  /** The process's pino logger; none in unit tests. */
  loggerInstance?: FastifyServerOptions['loggerInstance'];
}

/**
 * The whole HTTP/WebSocket service around its resources; server.ts listens, tests inject. The
 * app owns the resources from here on: `app.close()` stops taking requests, drains the jobs and
 * closes them (each plugin of src/plugins/ closes what it decorates).
 */
export async function buildApp(
  resources: AppResources,
  options: BuildOptions = {},
): Promise<FastifyInstance> {
  const { config } = resources;
  const app = Fastify({
    ...(options.loggerInstance ? { loggerInstance: options.loggerInstance } : { logger: false }),
    genReqId: requestIdFor,
    logController: new LogController({ requestIdLogLabel: 'request_id' }),
    bodyLimit: 32 * 1024 * 1024,
    routerOptions: { maxParamLength: 8_192 },
    // Router-level failures (a parameter over maxParamLength, a malformed URL) keep the envelope too.
    frameworkErrors: (error, request, reply) =>
      answerFrameworkError(error, request, reply as unknown as FastifyReply),
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    ajv: { customOptions: { allErrors: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  // The state first: onClose hooks run in reverse order, so these close last, after the server
  // stopped taking requests and every later plugin closed; the jobs drain before the rest.
  await app.register(settings, { config, version: resources.version });
  await app.register(database, { db: resources.db });
  await app.register(redisClients, { redis: resources.redis });
  await app.register(computePool, { compute: resources.compute });
  await app.register(modelStore);
  await app.register(streamingHub);
  await app.register(backgroundJobs);

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  await app.register(helmet, {
    global: true,
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        upgradeInsecureRequests: null,
      },
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    // HSTS only where TLS is promised: production.
    hsts: config.environment === 'production' ? { maxAge: 31_536_000, includeSubDomains: true } : false,
  });

  if (config.corsEnabled)
    await app.register(cors, {
      origin: (origin, callback) =>
        callback(null, origin !== undefined && config.corsOrigins.includes(origin) ? origin : false),
      credentials: true,
      methods: ['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS'],
      allowedHeaders: ['content-type', 'authorization', 'x-api-key', 'x-request-id'],
      exposedHeaders: ['x-request-id', 'retry-after'],
      maxAge: 600,
    });

  await app.register(rateLimit, {
    global: true,
    max: config.rateLimitPerMinute,
    timeWindow: config.rateLimitWindowSeconds * 1000,
    // Counters in Redis hold across replicas; when Redis is down requests pass unlimited.
    ...(app.redis ? { redis: app.redis.command } : {}),
    nameSpace: 'pynomaly:ratelimit:',
    skipOnError: true,
    allowList: (request) => UNLIMITED.some((pattern) => pattern.test(request.url)),
    keyGenerator: rateLimitKey,
    errorResponseBuilder: (_request, context) =>
      new ApiError(
        429,
        'RATE_LIMITED',
        `Rate limit of ${context.max} requests per ${config.rateLimitWindowSeconds} s exceeded; retry in ${context.after}`,
      ),
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Pynomaly API',
        version: app.serviceVersion,
        description:
          'Anomaly detection: datasets, detectors, models, experiments, AutoML, streaming and events.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
          apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
        },
      },
      security: config.authEnabled ? [{ bearer: [] }, { apiKey: [] }] : [],
    },
    // The upload body is parsed by hand (multipart); document it without validating it twice.
    transform: ({ schema, url }) => {
      if (url === '/api/datasets/upload')
        return { schema: { ...schema, body: UploadForm } as typeof schema, url };
      return { schema, url };
    },
  });

  await app.register(multipart, {
    limits: {
      fileSize: Math.floor(config.maxDatasetSizeMb * 1024 * 1024),
      files: 1,
      fields: 20,
      fieldSize: 1024 * 1024,
      parts: 30,
    },
  });
  await app.register(websocket, { options: { maxPayload: MAX_FRAME_BYTES } });
  if (config.authEnabled)
    await app.register(jwt, {
      secret: config.secretKey,
      sign: { algorithm: 'HS256' },
      verify: { algorithms: ['HS256'] },
    });

  registerAuthentication(app);
  registerErrorHandlers(app);
  registerJsonParser(app);
  refuseNonFiniteQuery(app);
  // After the auth hook and the error handlers, so the docs (and their static assets) inherit both.
  if (config.docsEnabled) await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });
  // POSTs without a body validate as {} (fastify would validate `null`).
  app.addHook('preValidation', async (request) => {
    if (
      (request.body === undefined || request.body === null) &&
      request.method !== 'GET' &&
      request.method !== 'HEAD'
    )
      request.body = {};
  });
  const prometheus = createPrometheus(app);

  await app.register(metaRoutes, { prometheus });
  if (config.authEnabled) await app.register(authRoutes);
  await app.register(datasetRoutes);
  await app.register(detectorRoutes);
  await app.register(detectionRoutes, { prometheus });
  await app.register(modelRoutes);
  await app.register(modelRegistryRoutes);
  await app.register(modelMonitoringRoutes);
  await app.register(performanceRoutes);
  await app.register(experimentRoutes);
  await app.register(automlRoutes);
  await app.register(streamingRoutes, { prometheus });
  await app.register(eventRoutes);
  await app.ready();
  return app;
}
