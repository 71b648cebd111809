import type { Redis } from 'ioredis';

/** Failed logins of one username allowed in a window before its logins answer 429. */
export const MAX_LOGIN_FAILURES = 5;
export const LOGIN_FAILURE_WINDOW_SECONDS = 300;

/**
 * Counts failed logins per username (Redis, so all replicas share the count; in process while
 * Redis is down). Past the limit every login of that user is refused until the window ends.
 */
export class LoginThrottle {
  private readonly local = new Map<string, { failures: number; resetAt: number }>();

  constructor(private readonly redis: Redis | null) {}

  private key(username: string): string {
    return `pynomaly:login-failures:${username}`;
  }

  /** Seconds until the user may try again, or 0 when not throttled. */
  async retryAfter(username: string): Promise<number> {
    if (this.redis?.status === 'ready') {
      try {
        const [failures, ttl] = await Promise.all([
          this.redis.get(this.key(username)),
          this.redis.ttl(this.key(username)),
        ]);
        return Number(failures ?? 0) >= MAX_LOGIN_FAILURES ? Math.max(1, ttl) : 0;
      } catch {
        // Redis failed mid-way: fall back to this process's count.
      }
    }
    const entry = this.local.get(username);
    if (!entry || entry.resetAt <= Date.now()) return 0;
    return entry.failures >= MAX_LOGIN_FAILURES ? Math.ceil((entry.resetAt - Date.now()) / 1000) : 0;
  }

  async failed(username: string): Promise<void> {
    if (this.redis?.status === 'ready') {
      try {
        await this.redis
          .multi()
          .incr(this.key(username))
          .expire(this.key(username), LOGIN_FAILURE_WINDOW_SECONDS, 'NX')
          .exec();
        return;
      } catch {
        // fall through to the local count
      }
    }
    const now = Date.now();
    const entry = this.local.get(username);
    if (!entry || entry.resetAt <= now)
      this.local.set(username, { failures: 1, resetAt: now + LOGIN_FAILURE_WINDOW_SECONDS * 1000 });
    else entry.failures += 1;
  }

  async succeeded(username: string): Promise<void> {
    this.local.delete(username);
    if (this.redis?.status === 'ready') await this.redis.del(this.key(username)).catch(() => 0);
  }
}
