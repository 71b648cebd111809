/**
 * Which OpenAPI operations a suite exercised. The service counts requests per route template
 * in /metrics (pynomaly_http_request_duration_seconds_count{method,route,status}); matched
 * against GET /api/openapi.json. Counters start again when a suite restarts the service, so
 * requests before a restart are not counted (an undercount, never an overcount).
 */

export interface OperationCoverage {
  method: string;
  path: string;
  operationId?: string;
  calls: number;
  statuses: Record<string, number>;
}

export interface ApiCoverage {
  operations: OperationCoverage[];
  covered: number;
  total: number;
  /** Routes the service counted that the document does not describe. */
  undocumented: { method: string; route: string; calls: number }[];
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options'];
const LINE = /^pynomaly_http_request_duration_seconds_count\{([^}]*)\}\s+([0-9.eE+]+)/;

/** `/api/datasets/{id}` and fastify's `/api/datasets/:id` → one key. */
export function routeKey(method: string, path: string): string {
  return `${method.toUpperCase()} ${path
    .replace(/\{[^}]+\}/g, ':')
    .replace(/:[A-Za-z0-9_]+/g, ':')
    .replace(/\/$/, '')}`;
}

function labels(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of text.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) out[m[1]] = m[2];
  return out;
}

export function parseRouteCounts(
  metrics: string,
): { method: string; route: string; status: string; count: number }[] {
  return metrics.split('\n').flatMap((line) => {
    const m = LINE.exec(line);
    if (!m) return [];
    const l = labels(m[1]);
    return l.method && l.route
      ? [{ method: l.method, route: l.route, status: l.status ?? '', count: Number(m[2]) }]
      : [];
  });
}

export function apiCoverage(openapi: unknown, metrics: string): ApiCoverage {
  const paths = ((openapi as { paths?: Record<string, Record<string, { operationId?: string }>> })?.paths ??
    {}) as Record<string, Record<string, { operationId?: string }>>;
  const operations = new Map<string, OperationCoverage>();
  for (const [path, item] of Object.entries(paths))
    for (const method of Object.keys(item).filter((k) => METHODS.includes(k)))
      operations.set(routeKey(method, path), {
        method: method.toUpperCase(),
        path,
        operationId: item[method]?.operationId,
        calls: 0,
        statuses: {},
      });
  const undocumented = new Map<string, { method: string; route: string; calls: number }>();
  for (const c of parseRouteCounts(metrics)) {
    const op = operations.get(routeKey(c.method, c.route));
    if (op) {
      op.calls += c.count;
      op.statuses[c.status] = (op.statuses[c.status] ?? 0) + c.count;
    } else if (c.route !== 'unknown' && c.method !== 'HEAD' && c.method !== 'OPTIONS') {
      const key = `${c.method} ${c.route}`;
      const u = undocumented.get(key) ?? { method: c.method, route: c.route, calls: 0 };
      u.calls += c.count;
      undocumented.set(key, u);
    }
  }
  const list = [...operations.values()].sort(
    (a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method),
  );
  return {
    operations: list,
    covered: list.filter((o) => o.calls > 0).length,
    total: list.length,
    undocumented: [...undocumented.values()],
  };
}

/** Union over suites (a run-level table). */
export function mergeApiCoverage(parts: readonly ApiCoverage[]): ApiCoverage | undefined {
  if (parts.length === 0) return undefined;
  const byKey = new Map<string, OperationCoverage>();
  for (const part of parts)
    for (const op of part.operations) {
      const key = routeKey(op.method, op.path);
      const into = byKey.get(key) ?? { ...op, calls: 0, statuses: {} };
      into.calls += op.calls;
      for (const [s, n] of Object.entries(op.statuses)) into.statuses[s] = (into.statuses[s] ?? 0) + n;
      byKey.set(key, into);
    }
  const operations = [...byKey.values()].sort(
    (a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method),
  );
  const undocumented = parts.flatMap((p) => p.undocumented);
  return {
    operations,
    covered: operations.filter((o) => o.calls > 0).length,
    total: operations.length,
    undocumented,
  };
}

/** A Bearer header for the admin (auth on: the document and /metrics need credentials). */
async function adminHeaders(
  httpUrl: string,
  admin?: { username: string; password: string },
): Promise<Record<string, string>> {
  if (!admin) return {};
  const res = await fetch(`${httpUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(admin),
    signal: AbortSignal.timeout(10_000),
  });
  const body = (await res.json()) as { data?: { access_token?: string } };
  return body.data?.access_token ? { authorization: `Bearer ${body.data.access_token}` } : {};
}

/**
 * Reads both inputs from a running stack; undefined when the service does not answer. With auth
 * on, pass the admin: it logs in first.
 */
export async function fetchApiCoverage(
  httpUrl: string,
  admin?: { username: string; password: string },
): Promise<ApiCoverage | undefined> {
  try {
    const headers = await adminHeaders(httpUrl, admin);
    const get = (path: string) =>
      fetch(`${httpUrl}${path}`, { headers, signal: AbortSignal.timeout(10_000) });
    const [spec, metrics] = await Promise.all([
      get('/api/openapi.json').then((r) => r.json()),
      get('/metrics').then((r) => r.text()),
    ]);
    return apiCoverage(spec, metrics);
  } catch {
    return undefined;
  }
}
