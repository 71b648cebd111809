/**
 * The control channel: a loopback HTTP endpoint, one per stack, through which the suite running
 * against that stack asks the orchestrator to act on it (restart the service, stop Redis, ...).
 * The orchestrator owns the stack; the suites only know this URL (StackEndpoints.controlUrl).
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { StackEndpoints } from '../../shared/stack-endpoints.ts';
import type { RunningStack } from './types.ts';

const MAX_BODY_BYTES = 64 * 1024;
const MAX_TRIAL_MS = 60_000;

export interface StackControl {
  url: string;
  close(): Promise<void>;
}

async function jsonBody(request: IncomingMessage): Promise<Record<string, unknown>> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Error(`control request body over ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

function stringRecord(value: unknown): Record<string, string> {
  if (typeof value !== 'object' || value === null) throw new Error('env must be an object of strings');
  for (const v of Object.values(value))
    if (typeof v !== 'string') throw new Error('env values must be strings');
  return value as Record<string, string>;
}

/**
 * Serves `stack`'s operations on 127.0.0.1 (a free port). `moved` hears of every change of the
 * endpoints (a restart), so the endpoints file the suites read stays the truth.
 */
export async function serveStackControl(
  stack: RunningStack,
  moved: (endpoints: StackEndpoints) => Promise<void>,
): Promise<StackControl> {
  const routes: Record<string, (request: IncomingMessage) => Promise<unknown>> = {
    'GET /endpoints': async () => stack.endpoints,
    'POST /service/restart': async () => {
      const endpoints = await stack.restartService();
      await moved(endpoints);
      return endpoints;
    },
    'POST /redis/stop': async () => {
      await stack.stopRedis();
      return stack.endpoints;
    },
    'POST /redis/start': async () => {
      const endpoints = await stack.startRedis();
      await moved(endpoints);
      return endpoints;
    },
    'GET /service/memory': async () => ({ bytes: await stack.serviceMemoryBytes() }),
    'POST /service/trial-start': async (request) => {
      const body = await jsonBody(request);
      const timeoutMs = Math.min(Number(body.timeoutMs ?? 20_000), MAX_TRIAL_MS);
      return stack.trialStart(stringRecord(body.env), timeoutMs);
    },
  };
  const server = createServer((request, response) => {
    const route = routes[`${request.method} ${request.url}`];
    const answer = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    if (!route) return answer(404, { error: `no control route ${request.method} ${request.url}` });
    route(request).then(
      (body) => answer(200, body),
      (error: Error) => answer(500, { error: error.message }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
