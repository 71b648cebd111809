// A reaper that speaks Ryuk's protocol (testcontainers' reaper): clients connect over TCP and
// send filter lines, `label=<key>=<value>[&label=<key>=<value>...]`, each answered `ACK`. Once no
// client holds a connection any more (the runner ended or was killed), after a grace for
// reconnects, every container, network and volume matching any filter (all labels of a line) is
// removed; then it exits (the container is AutoRemove). REAPER_FILTER adds one filter at start.
// It logs "Started!" when it listens, the line testcontainers waits for. Talks to the engine API
// over the mounted socket (or REAPER_DOCKER_HOST=tcp://host:port) with node:http only.
// It first looks itself up (REAPER_SELF_NAME, else HOSTNAME): an engine that does not know this
// container is another engine (a socket mounted from the wrong host), which it must never sweep;
// it then answers every connection `ERR <why>` and exits.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';

const SOCKET = process.env.REAPER_DOCKER_SOCKET || '/var/run/docker.sock';
const ENGINE = process.env.REAPER_DOCKER_HOST ? new URL(process.env.REAPER_DOCKER_HOST) : undefined;
const WHERE = ENGINE ? ENGINE.href : SOCKET;
// REAPER_DOCKER_TLS_DIR: ca.pem, cert.pem and key.pem for a TCP engine with TLS (as DOCKER_CERT_PATH).
const TLS_DIR = process.env.REAPER_DOCKER_TLS_DIR;
const TLS = TLS_DIR
  ? Object.fromEntries(['ca', 'cert', 'key'].map((f) => [f, readFileSync(`${TLS_DIR}/${f}.pem`)]))
  : undefined;
const PORT = Number(process.env.REAPER_PORT || 8080);
const LISTEN_HOST = process.env.REAPER_LISTEN_HOST || undefined;
const FIRST_CONNECTION_MS = Number(process.env.REAPER_FIRST_CONNECTION_MS || 60000);
const SELF_NAME = process.env.REAPER_SELF_NAME || process.env.HOSTNAME || '';
/** This container's full ID, once the engine confirmed it knows it. */
let SELF = '';
/** Why this reaper refuses to work (the engine it reaches is not its own), if it does. */
let refusal = '';

/** Ryuk's RYUK_RECONNECTION_TIMEOUT is a Go duration ("10s", "500ms"); REAPER_GRACE_MS ms. */
function graceMs() {
  const ryuk = /^(\d+(?:\.\d+)?)(ms|s|m)$/.exec(process.env.RYUK_RECONNECTION_TIMEOUT || '');
  if (ryuk) return Number(ryuk[1]) * { ms: 1, s: 1000, m: 60000 }[ryuk[2]];
  return Number(process.env.REAPER_GRACE_MS || 2000);
}
const GRACE_MS = graceMs();

/** Filters: each a list of `key=value` labels that must all match. */
const filters = [];

/** `label=a=1&label=b=2` → ['a=1', 'b=2']; anything else is not a filter. */
function parseFilter(line) {
  const labels = [];
  for (const part of line.split('&')) {
    const m = /^label=(.+=.*)$/.exec(part.trim());
    if (!m) return undefined;
    labels.push(decodeURIComponent(m[1]));
  }
  return labels.length ? labels : undefined;
}

function addFilter(labels) {
  if (!filters.some((f) => f.join('&') === labels.join('&'))) filters.push(labels);
}

if (process.env.REAPER_FILTER) {
  const labels = parseFilter(`label=${process.env.REAPER_FILTER}`);
  if (!labels) {
    console.error('reaper: REAPER_FILTER must be <label>=<value>');
    process.exit(2);
  }
  addFilter(labels);
}

const log = (msg) => console.log(`${new Date().toISOString()} reaper: ${msg}`);

function api(method, path) {
  return new Promise((resolve, reject) => {
    const where = ENGINE
      ? {
          host: ENGINE.hostname.replace(/^\[|\]$/g, ''),
          port: Number(ENGINE.port || (TLS ? 2376 : 2375)),
          ...TLS,
        }
      : { socketPath: SOCKET };
    const req = (TLS ? https : http).request({ ...where, method, path, timeout: 15000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => {
        body += d;
      });
      res.on('end', () => resolve({ status: res.statusCode, body }));
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${path}: timeout`)));
    req.on('error', reject);
    req.end();
  });
}

async function list(path, labels) {
  const query = encodeURIComponent(JSON.stringify({ label: labels }));
  const sep = path.includes('?') ? '&' : '?';
  const res = await api('GET', `${path}${sep}filters=${query}`);
  if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${res.body}`);
  return JSON.parse(res.body);
}

async function removeAll(kind, items, path) {
  const results = await Promise.allSettled(
    items.map(async (id) => {
      const res = await api('DELETE', path(id));
      if (res.status >= 300 && res.status !== 404)
        throw new Error(`${kind} ${id}: ${res.status} ${res.body.trim()}`);
    }),
  );
  return results.filter((r) => r.status === 'rejected').map((r) => r.reason.message);
}

async function sweepFilter(labels) {
  const containers = (await list('/containers/json?all=1', labels))
    .map((c) => c.Id)
    .filter((id) => !SELF || !id.startsWith(SELF));
  const errors = await removeAll('container', containers, (id) => `/containers/${id}?force=1&v=1`);
  const networks = (await list('/networks', labels)).map((n) => n.Id);
  errors.push(...(await removeAll('network', networks, (id) => `/networks/${id}`)));
  const volumes = ((await list('/volumes', labels)).Volumes || []).map((v) => v.Name);
  errors.push(...(await removeAll('volume', volumes, (name) => `/volumes/${encodeURIComponent(name)}`)));
  return { removed: containers.length + networks.length + volumes.length, errors };
}

async function sweep() {
  let removed = 0;
  const errors = [];
  for (const labels of filters) {
    const r = await sweepFilter(labels);
    removed += r.removed;
    errors.push(...r.errors);
  }
  return { removed, errors };
}

let reaping = false;
async function reap(reason) {
  if (reaping) return;
  reaping = true;
  if (refusal) {
    log(`${reason}: exiting without a sweep (${refusal})`);
    process.exit(3);
  }
  log(
    `${reason}: removing everything labelled ${filters.map((f) => f.join(' & ')).join(' | ') || '(no filter)'}`,
  );
  // A few passes: a create the runner sent just before it died may land after the first one.
  for (let pass = 1; pass <= 5; pass++) {
    try {
      const { removed, errors } = await sweep();
      log(`pass ${pass}: removed ${removed}${errors.length ? `, errors: ${errors.join('; ')}` : ''}`);
      if (removed === 0 && errors.length === 0 && pass >= 2) break;
    } catch (error) {
      log(`pass ${pass} failed: ${error.message}`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  // Last, itself: started by testcontainers (as its Ryuk) the container is not AutoRemove.
  if (SELF) await api('DELETE', `/containers/${SELF}?force=1`).catch(() => undefined);
  process.exit(0);
}

let clients = 0;
let timer = setTimeout(
  () => reap(`no runner connected within ${FIRST_CONNECTION_MS} ms`),
  FIRST_CONNECTION_MS,
);

const server = net.createServer((socket) => {
  if (reaping) {
    socket.destroy();
    return;
  }
  if (refusal) {
    socket.on('error', () => undefined);
    socket.end(`ERR ${refusal}\n`);
    setTimeout(() => reap('refused a runner'), 500);
    return;
  }
  clients++;
  clearTimeout(timer);
  socket.setKeepAlive(true, 1000);
  socket.on('error', () => undefined);
  socket.on('close', () => {
    clients--;
    if (clients === 0) timer = setTimeout(() => reap('the runner disconnected'), GRACE_MS);
  });
  // Ryuk's protocol: one filter per line, each acknowledged (a bad line closes the connection).
  let buffered = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk) => {
    buffered += chunk;
    for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
      const line = buffered.slice(0, nl).trim();
      buffered = buffered.slice(nl + 1);
      if (!line) continue;
      const labels = parseFilter(line);
      if (!labels) {
        log(`refused filter line "${line.slice(0, 200)}"`);
        socket.destroy();
        return;
      }
      addFilter(labels);
      socket.write('ACK\n');
    }
  });
});
/** Is the engine at WHERE the one this container runs on? */
async function findSelf() {
  if (!SELF_NAME) return;
  try {
    const res = await api('GET', `/containers/${encodeURIComponent(SELF_NAME)}/json`);
    if (res.status === 200) SELF = JSON.parse(res.body).Id;
    else
      refusal = `the engine at ${WHERE} is not the one this reaper runs on (it does not know container ${SELF_NAME}: ${res.status})`;
  } catch (error) {
    refusal = `the reaper cannot reach its engine at ${WHERE}: ${error.message}`;
  }
  if (refusal) log(refusal);
}

await findSelf();
server.listen(PORT, LISTEN_HOST, () => log(`Started! listening on port ${PORT}`));

for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => reap(signal));
