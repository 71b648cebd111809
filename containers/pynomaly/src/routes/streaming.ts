import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { WebSocket } from 'ws';
import { callerOf } from '../auth/authenticate.ts';
import { inTransaction } from '../db/pool.ts';
import { findDetector } from '../db/repositories/detectors.ts';
import { queryEvents } from '../db/repositories/events.ts';
import {
  type AlertRuleRow,
  alertRules,
  countActive,
  deleteSession,
  findSession,
  findSessionById,
  insertAlertRule,
  insertSession,
  listSessions,
  type SessionRow,
  transition,
} from '../db/repositories/sessions.ts';
import { success } from '../http/envelope.ts';
import { ApiError, conflict, notFound } from '../http/errors.ts';
import type { Prometheus } from '../http/prometheus.ts';
import { enveloped, IdParams } from '../schemas/common.ts';
import {
  AlertRule,
  AlertRuleCreate,
  AlertRuleList,
  ProcessRequest,
  ProcessResult,
  Session,
  SessionCreate,
  SessionList,
  SessionListQuery,
  SessionMetrics,
  SessionSummary,
} from '../schemas/streaming.ts';
import { scoreForSession, sessionMetrics, sessionQueues } from '../services/streaming.ts';

const METRICS_INTERVAL_MS = 5_000;
/** The session a live socket's preHandler found, for its connected frame. */
const sessionOfUpgrade = new WeakMap<object, SessionRow>();
// Serialises session starts across replicas so the active-session limit holds.
const START_LOCK_KEY = 727_001_002;

export function sessionView(row: SessionRow) {
  return {
    id: row.id,
    session_id: row.id,
    name: row.name,
    detector_id: row.detector_id,
    status: row.status,
    configuration: row.configuration,
    data_source: row.data_source,
    messages_processed: row.messages_processed,
    anomalies_detected: row.anomalies_detected,
    failed_messages: row.failed_messages,
    created_at: row.created_at.toISOString(),
    started_at: row.started_at?.toISOString() ?? null,
    stopped_at: row.stopped_at?.toISOString() ?? null,
  };
}

function alertRuleView(rule: AlertRuleRow) {
  return { ...rule, created_at: rule.created_at.toISOString() };
}

const TRANSITIONS: Record<'start' | 'pause' | 'resume' | 'stop', { from: string[]; to: string }> = {
  start: { from: ['pending'], to: 'active' },
  pause: { from: ['active'], to: 'paused' },
  resume: { from: ['paused'], to: 'active' },
  stop: { from: ['pending', 'active', 'paused'], to: 'stopped' },
};

/** Points one socket frame may carry; more get an error frame (the socket stays open). */
export const MAX_POINTS_PER_FRAME = 1_000;
/** Bytes of one socket frame; a larger frame closes the socket with 1009 (message too big). */
export const MAX_FRAME_BYTES = 1024 * 1024;

function errorFrame(message: string, code = 'BAD_FRAME') {
  return JSON.stringify({ type: 'error', payload: { code, message } });
}

export const streamingRoutes: FastifyPluginAsyncTypebox<{ prometheus: Prometheus }> = async (
  app,
  { prometheus },
) => {
  const tags = ['streaming'];

  app.post(
    '/api/streaming/sessions',
    { schema: { tags, body: SessionCreate, response: enveloped(Session, 201) } },
    async (request, reply) => {
      const caller = callerOf(request);
      const detector = await findDetector(app.db, caller.id, request.body.detector_id);
      if (!detector) throw notFound('Detector');
      const configuration = {
        // Upstream's optional settings (schema_validation, ...) as given; the three below always.
        ...request.body.configuration,
        processing_mode: request.body.configuration?.processing_mode ?? 'real_time',
        batch_size: request.body.configuration?.batch_size ?? 1,
        max_throughput: request.body.configuration?.max_throughput ?? 1000,
      };
      const row = await insertSession(app.db, {
        ownerId: caller.id,
        detectorId: detector.id,
        name: request.body.name,
        configuration,
        dataSource: (request.body.data_source as Record<string, unknown> | undefined) ?? null,
      });
      return reply.status(201).send(success(request.id, sessionView(row), 'Streaming session created'));
    },
  );

  app.get(
    '/api/streaming/sessions',
    { schema: { tags, querystring: SessionListQuery, response: enveloped(SessionList) } },
    async (request) => {
      const { limit, offset } = request.query;
      const page = await listSessions(app.db, callerOf(request).id, { limit, offset });
      return success(request.id, {
        sessions: page.items.map(sessionView),
        total: page.total,
        limit,
        offset,
      });
    },
  );

  app.get(
    '/api/streaming/sessions/:id',
    { schema: { tags, params: IdParams, response: enveloped(Session) } },
    async (request) => {
      const session = await findSession(app.db, callerOf(request).id, request.params.id);
      if (!session) throw notFound('Streaming session');
      return success(request.id, sessionView(session));
    },
  );

  for (const action of ['start', 'pause', 'resume', 'stop'] as const) {
    app.post(
      `/api/streaming/sessions/:id/${action}`,
      { schema: { tags, params: IdParams, response: enveloped(Session) } },
      async (request) => {
        const caller = callerOf(request);
        const { from, to } = TRANSITIONS[action];
        const row = await inTransaction(app.db, async (client) => {
          const current = await findSession(client, caller.id, request.params.id);
          if (!current) throw notFound('Streaming session');
          if (current.status === to) return current;
          if (to === 'active') {
            if (current.status === 'stopped') throw conflict('A stopped session cannot be started again');
            await client.query('SELECT pg_advisory_xact_lock($1)', [START_LOCK_KEY]);
            if ((await countActive(client)) >= app.config.maxStreamingSessions)
              throw new ApiError(
                409,
                'TOO_MANY_SESSIONS',
                `At most ${app.config.maxStreamingSessions} streaming sessions may be active at once (PYNOMALY_MAX_STREAMING_SESSIONS)`,
              );
            if ((await countActive(client, caller.id)) >= app.config.maxStreamingSessionsPerUser)
              throw new ApiError(
                409,
                'TOO_MANY_SESSIONS',
                `At most ${app.config.maxStreamingSessionsPerUser} streaming sessions of one user may be active at once (PYNOMALY_MAX_STREAMING_SESSIONS_PER_USER)`,
              );
          }
          const changed = await transition(client, caller.id, request.params.id, from, to);
          if (!changed) throw conflict(`Cannot ${action} a session that is ${current.status}`);
          return changed;
        });
        await app.hub.publish(row.id, [
          { type: 'status', payload: { session_id: row.id, status: row.status } },
        ]);
        return success(request.id, sessionView(row), `Session ${row.status}`);
      },
    );
  }

  app.post(
    '/api/streaming/sessions/:id/process',
    { schema: { tags, params: IdParams, body: ProcessRequest, response: enveloped(ProcessResult) } },
    async (request) => {
      const session = await findSession(app.db, callerOf(request).id, request.params.id);
      if (!session) throw notFound('Streaming session');
      const [result] = await sessionQueues.run(session.id, () =>
        scoreForSession(app, session.id, [request.body.data]),
      );
      prometheus.predictions.inc(1);
      if (result.is_anomaly) prometheus.anomalies.inc(1);
      return success(request.id, result);
    },
  );

  app.get(
    '/api/streaming/sessions/:id/metrics',
    { schema: { tags, params: IdParams, response: enveloped(SessionMetrics) } },
    async (request) => {
      const session = await findSession(app.db, callerOf(request).id, request.params.id);
      if (!session) throw notFound('Streaming session');
      return success(request.id, sessionMetrics(session));
    },
  );

  app.get(
    '/api/streaming/sessions/:id/summary',
    { schema: { tags, params: IdParams, response: enveloped(SessionSummary) } },
    async (request) => {
      const caller = callerOf(request);
      const session = await findSession(app.db, caller.id, request.params.id);
      if (!session) throw notFound('Streaming session');
      const recent = await queryEvents(app.db, caller.id, { sessionId: session.id, limit: 10, offset: 0 });
      const end = session.stopped_at ?? new Date();
      const uptime = session.started_at ? (end.getTime() - session.started_at.getTime()) / 1000 : 0;
      return success(request.id, {
        session_id: session.id,
        name: session.name,
        status: session.status,
        detector_id: session.detector_id,
        uptime_seconds: uptime,
        session: sessionView(session),
        metrics: sessionMetrics(session),
        messages_processed: session.messages_processed,
        anomalies_detected: session.anomalies_detected,
        duration_seconds: uptime,
        recent_anomalies: recent.items.map((e) => ({
          id: e.id,
          anomaly_score: e.anomaly_score,
          severity: e.severity,
          event_time: e.event_time.toISOString(),
        })),
      });
    },
  );

  app.post(
    '/api/streaming/sessions/:id/alerts',
    { schema: { tags, params: IdParams, body: AlertRuleCreate, response: enveloped(AlertRule, 201) } },
    async (request, reply) => {
      const session = await findSession(app.db, callerOf(request).id, request.params.id);
      if (!session) throw notFound('Streaming session');
      const body = request.body;
      const rule = await insertAlertRule(app.db, {
        session_id: session.id,
        name: body.name,
        metric_name: body.metric_name ?? 'anomaly_score',
        threshold_value: body.threshold_value,
        comparison_operator: body.comparison_operator ?? '>=',
        severity: body.severity,
        notification_channels: body.notification_channels ?? [],
        duration_threshold_minutes: body.duration_threshold_minutes ?? null,
      });
      return reply.status(201).send(success(request.id, alertRuleView(rule), 'Alert rule created'));
    },
  );

  app.get(
    '/api/streaming/sessions/:id/alerts',
    { schema: { tags, params: IdParams, response: enveloped(AlertRuleList) } },
    async (request) => {
      const session = await findSession(app.db, callerOf(request).id, request.params.id);
      if (!session) throw notFound('Streaming session');
      const rules = await alertRules(app.db, session.id);
      return success(request.id, { alert_rules: rules.map(alertRuleView) });
    },
  );

  app.delete(
    '/api/streaming/sessions/:id',
    {
      schema: {
        tags,
        params: IdParams,
        response: enveloped(Type.Object({ id: Type.String(), deleted: Type.Boolean() })),
      },
    },
    async (request) => {
      const deleted = await deleteSession(app.db, callerOf(request).id, request.params.id);
      if (!deleted) throw notFound('Streaming session');
      await app.hub.publish(request.params.id, [
        { type: 'status', payload: { session_id: request.params.id, status: 'deleted' } },
      ]);
      return success(request.id, { id: request.params.id, deleted: true }, 'Streaming session deleted');
    },
  );

  app.get(
    '/api/streaming/sessions/:id/live',
    {
      websocket: true,
      schema: {
        tags,
        summary:
          'WebSocket: frames {type, payload}; server sends connected, score, alert, metrics, status, error; client sends {type: "points", payload: [{feature: number}]}',
        params: IdParams,
      },
      // Refuse the upgrade with 404 for an unknown (or someone else's) session.
      preHandler: async (request) => {
        const session = await findSession(
          app.db,
          callerOf(request).id,
          (request.params as { id: string }).id,
        );
        if (!session) throw notFound('Streaming session');
        sessionOfUpgrade.set(request, session);
      },
    },
    (socket: WebSocket, request) => {
      const sessionId = (request.params as { id: string }).id;
      socket.send(
        JSON.stringify({
          type: 'connected',
          payload: {
            session_id: sessionId,
            status: sessionOfUpgrade.get(request)?.status ?? 'unknown',
            metrics_interval_ms: METRICS_INTERVAL_MS,
          },
        }),
      );
      const unwatch = app.hub.watch(sessionId, socket);
      const sendMetrics = async () => {
        const session = await findSessionById(app.db, sessionId).catch(() => null);
        if (session && socket.readyState === socket.OPEN)
          socket.send(JSON.stringify({ type: 'metrics', payload: sessionMetrics(session) }));
      };
      const timer = setInterval(() => void sendMetrics(), METRICS_INTERVAL_MS);
      socket.on('close', () => {
        clearInterval(timer);
        unwatch();
      });
      socket.on('error', () => undefined);
      socket.on('message', (raw: Buffer, isBinary: boolean) => {
        if (isBinary) return socket.send(errorFrame('Frames must be JSON text'));
        let frame: unknown;
        try {
          frame = JSON.parse(raw.toString('utf8'));
        } catch {
          return socket.send(errorFrame('The frame is not JSON'));
        }
        if (typeof frame !== 'object' || frame === null || Array.isArray(frame))
          return socket.send(errorFrame('A frame is a JSON object {type, payload}'));
        const { type, payload } = frame as { type?: unknown; payload?: unknown };
        if (typeof type !== 'string') return socket.send(errorFrame('The frame has no "type"'));
        if (type === 'ping')
          return socket.send(
            JSON.stringify({ type: 'pong', payload: { timestamp: new Date().toISOString() } }),
          );
        if (type !== 'points')
          return socket.send(errorFrame(`Unknown frame type ${JSON.stringify(type).slice(0, 50)}`));
        const points = Array.isArray(payload)
          ? payload
          : payload && typeof payload === 'object'
            ? [payload]
            : null;
        if (
          !points ||
          points.length === 0 ||
          points.some((p) => typeof p !== 'object' || p === null || Array.isArray(p))
        )
          return socket.send(errorFrame('"points" takes a non-empty list of objects {feature: number}'));
        if (points.length > MAX_POINTS_PER_FRAME)
          return socket.send(
            errorFrame(
              `A frame carries at most ${MAX_POINTS_PER_FRAME} points (got ${points.length}): send them in several frames`,
              'TOO_MANY_POINTS',
            ),
          );
        sessionQueues
          .run(sessionId, () => scoreForSession(app, sessionId, points as Record<string, unknown>[]))
          .then((results) => {
            prometheus.predictions.inc(results.length);
            prometheus.anomalies.inc(results.filter((r) => r.is_anomaly).length);
          })
          .catch((error: unknown) => {
            if (socket.readyState !== socket.OPEN) return;
            const known = error instanceof ApiError;
            if (!known) request.log.error({ err: error }, 'scoring socket points failed');
            socket.send(
              errorFrame(known ? error.message : 'Scoring failed', known ? error.code : 'INTERNAL_ERROR'),
            );
          });
      });
    },
  );
};
