/**
 * What a suite is told about the stack it runs against: the endpoints file (JSON) that the
 * orchestrator writes for each suite and rewrites when the stack moves (a restart), and that the
 * suites read. One schema below checks it on both sides. Only serialisable values: suites run in
 * other processes than the orchestrator.
 */
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';

export interface StackEndpoints {
  runId: string;
  suite: string;
  /** http://127.0.0.1:<mapped>/ of the service, no trailing slash. */
  httpUrl: string;
  /** ws://127.0.0.1:<mapped> of the service, no trailing slash. */
  wsUrl: string;
  /** postgres://user:pass@127.0.0.1:<mapped>/db, the database the service uses. */
  postgresUrl: string;
  /** redis://127.0.0.1:<mapped>, the Redis the service uses. */
  redisUrl: string;
  authEnabled: boolean;
  admin: { username: string; password: string };
  /** Seed of this run: sample data and the service's PYNOMALY_RANDOM_SEED. */
  seed: number;
  /** The PYNOMALY_* environment the service was started with (secrets included: test stack only). */
  serviceEnv: Record<string, string>;
  /** Engine-side names, so a suite can restart the service or stop Redis (fault tests). */
  containers: { pynomaly: string; postgres: string; redis: string };
  /** Internal port of the service inside its container (for re-reading the mapped port after a restart). */
  servicePort: number;
  /** Where this suite's reports go (perf results, extra artefacts). */
  reportsDir: string;
  /**
   * The orchestrator's control channel for this stack (stack/control-server.ts): how a suite
   * restarts the service or stops Redis without opening Docker itself.
   */
  controlUrl?: string;
  /**
   * The addresses of this stack's own containers, when the orchestrator reaches them on their
   * network (it runs in a container of the engine) rather than on loopback: the URLs above then
   * point there, and traffic to them is traffic to the project's own containers.
   */
  ownAddresses?: string[];
}

const url = (scheme: string) => ({ type: 'string', pattern: `^${scheme}://[^/]+[^/]$` });
const text = { type: 'string', minLength: 1 };

export const STACK_ENDPOINTS_SCHEMA = {
  type: 'object',
  required: [
    'runId',
    'suite',
    'httpUrl',
    'wsUrl',
    'postgresUrl',
    'redisUrl',
    'authEnabled',
    'admin',
    'seed',
    'serviceEnv',
    'containers',
    'servicePort',
    'reportsDir',
  ],
  properties: {
    runId: text,
    suite: text,
    httpUrl: url('http'),
    wsUrl: url('ws'),
    postgresUrl: { type: 'string', pattern: '^postgres(ql)?://' },
    redisUrl: { type: 'string', pattern: '^rediss?://' },
    authEnabled: { type: 'boolean' },
    admin: {
      type: 'object',
      required: ['username', 'password'],
      properties: { username: { type: 'string' }, password: { type: 'string' } },
    },
    seed: { type: 'integer' },
    serviceEnv: { type: 'object', additionalProperties: { type: 'string' } },
    containers: {
      type: 'object',
      required: ['pynomaly', 'postgres', 'redis'],
      properties: { pynomaly: text, postgres: text, redis: text },
    },
    servicePort: { type: 'integer' },
    reportsDir: text,
    controlUrl: url('http'),
    ownAddresses: { type: 'array', items: text },
  },
} as const;

const validate = new Ajv({ allErrors: true }).compile<StackEndpoints>(STACK_ENDPOINTS_SCHEMA);

/** The endpoints in `value`, or an error listing every problem (`source` names where it came from). */
export function parseStackEndpoints(value: unknown, source: string): StackEndpoints {
  if (validate(value)) return value;
  const problems = (validate.errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message}`);
  throw new Error(`invalid stack endpoints in ${source}:\n- ${problems.join('\n- ')}`);
}

/** Reads and checks an endpoints file. */
export function readStackFile(file: string): StackEndpoints {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read the stack endpoints file ${file}: ${(error as Error).message}`);
  }
  return parseStackEndpoints(parsed, file);
}
