import { Type } from 'typebox';
import { DateTime, ErrorEnvelope } from './common.ts';

const Check = Type.Object({
  status: Type.Union([Type.Literal('healthy'), Type.Literal('unhealthy')]),
  latency_ms: Type.Number(),
  error: Type.Optional(Type.String()),
});

export const Health = Type.Object({
  status: Type.Union([Type.Literal('healthy'), Type.Literal('degraded'), Type.Literal('unhealthy')]),
  timestamp: DateTime,
  version: Type.String(),
  uptime_seconds: Type.Number(),
  checks: Type.Object({ database: Check, redis: Check }),
});

export const Probe = Type.Object({ status: Type.String(), timestamp: DateTime });

export const Root = Type.Object({ message: Type.String(), version: Type.String(), docs: Type.String() });

export const healthResponses = { 200: Health, 503: Health, '4xx': ErrorEnvelope };
export const probeResponses = { 200: Probe, 503: Probe, '4xx': ErrorEnvelope };
