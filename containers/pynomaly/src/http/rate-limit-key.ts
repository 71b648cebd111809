import type { FastifyRequest } from 'fastify';

/**
 * Whose budget a request spends: the user of a valid access token (each user their own, so one
 * busy user never throttles another behind the same address), else the client address. No
 * credentials, a forged or expired token and an API key (whose validity needs the database) all
 * spend the address's budget, so inventing ids never buys a fresh one.
 */
export function rateLimitKey(request: FastifyRequest): string {
  const header = request.headers.authorization;
  const match = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  const jwt = (request.server as { jwt?: { verify<T>(token: string): T } }).jwt;
  if (match && jwt) {
    try {
      const claims = jwt.verify<{ sub?: unknown; type?: unknown }>(match[1]);
      if (claims.type === 'access' && typeof claims.sub === 'string') return `user:${claims.sub}`;
    } catch {
      // Not a token of ours: the address pays.
    }
  }
  return `ip:${request.ip}`;
}
