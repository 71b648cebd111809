// Removes every container, network and volume carrying REAPER_FILTER (label=value) once no
// runner holds a TCP connection to it any more (the runner ended or was killed), after a short
// grace for reconnects; then exits (the container is AutoRemove). Talks to the engine API over
// the mounted socket with node:http only.
import http from 'node:http';
import net from 'node:net';

const FILTER = process.env.REAPER_FILTER;
const SOCKET = process.env.REAPER_DOCKER_SOCKET || '/var/run/docker.sock';
const PORT = Number(process.env.REAPER_PORT || 8080);
const GRACE_MS = Number(process.env.REAPER_GRACE_MS || 2000);
const FIRST_CONNECTION_MS = Number(process.env.REAPER_FIRST_CONNECTION_MS || 60000);
const SELF = process.env.HOSTNAME || '';

if (!FILTER?.includes('=')) {
  console.error('reaper: REAPER_FILTER=<label>=<value> is required');
  process.exit(2);
}

const log = (msg) => console.log(`${new Date().toISOString()} reaper: ${msg}`);

function api(method, path) {
  return new Promise((resolve, reject) => {
    const req = http.request({ socketPath: SOCKET, method, path, timeout: 15000 }, (res) => {
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

async function list(path) {
  const filters = encodeURIComponent(JSON.stringify({ label: [FILTER] }));
  const sep = path.includes('?') ? '&' : '?';
  const res = await api('GET', `${path}${sep}filters=${filters}`);
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

async function sweep() {
  const containers = (await list('/containers/json?all=1'))
    .map((c) => c.Id)
    .filter((id) => !SELF || !id.startsWith(SELF));
  const errors = await removeAll('container', containers, (id) => `/containers/${id}?force=1&v=1`);
  const networks = (await list('/networks')).map((n) => n.Id);
  errors.push(...(await removeAll('network', networks, (id) => `/networks/${id}`)));
  const volumes = ((await list('/volumes')).Volumes || []).map((v) => v.Name);
  errors.push(...(await removeAll('volume', volumes, (name) => `/volumes/${encodeURIComponent(name)}`)));
  return { removed: containers.length + networks.length + volumes.length, errors };
}

let reaping = false;
async function reap(reason) {
  if (reaping) return;
  reaping = true;
  log(`${reason}: removing everything labelled ${FILTER}`);
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
  clients++;
  clearTimeout(timer);
  socket.setKeepAlive(true, 1000);
  socket.on('error', () => undefined);
  socket.on('close', () => {
    clients--;
    if (clients === 0) timer = setTimeout(() => reap('the runner disconnected'), GRACE_MS);
  });
  socket.write('ACK\n');
});
server.listen(PORT, () => log(`watching ${FILTER} on port ${PORT}`));

for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => reap(signal));
