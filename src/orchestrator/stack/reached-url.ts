/**
 * A module's connection URL (getConnectionUri, getHttpUrl, ...) as the runner reaches it. The
 * modules name the engine's host and the published port; a runner that joined the stack's
 * network (engine/reach.ts) reaches the container at its address there and its own port instead.
 */
export interface NetworkAddress {
  address: string;
  port: number;
}

export function reachedUrl(moduleUrl: string, onNetwork?: NetworkAddress): string {
  const url = new URL(moduleUrl);
  if (onNetwork) {
    url.hostname = onNetwork.address;
    url.port = String(onNetwork.port);
    // Testcontainers says "localhost", which may resolve to ::1 first; the endpoints promise 127.0.0.1.
  } else if (url.hostname === 'localhost') url.hostname = '127.0.0.1';
  // http:// and ws:// print an empty path as "/": the endpoints carry bare origins.
  return url.pathname === '/' ? url.toString().slice(0, -1) : url.toString();
}
