import type { Redis } from 'ioredis';

export interface LoginLimits {
  /** Failed logins of one username allowed in a window before its logins answer 429. */
  perUser: number;
  /** Failed logins from one client address allowed in a window before its logins answer 429. */
  perIp: number;
  windowSeconds: number;
}

/** Which counter refused a login, and for how many seconds more. */
export interface Throttled {
  scope: 'user' | 'ip';
  retryAfter: number;
}

/**
 * Counts failed logins per username and per client address (Redis, so all replicas share the
 * counts; in process while Redis is down). A count ends `windowSeconds` after its latest failure,
 * so failures spaced closer than the window add up however slowly they come. Past either limit
 * every login of that user, or from that address, is refused until the count ends. The address counter stops
 * one client guessing passwords across many usernames, which the per-user counter cannot see.
 */
export class LoginThrottle {
  private readonly local = new Map<string, { failures: number; resetAt: number }>();

  constructor(
    private readonly redis: Redis | null,
    private readonly limits: LoginLimits,
  ) {}

  private keys(username: string, ip: string): { key: string; max: number; scope: Throttled['scope'] }[] {
    return [
      { key: `pynomaly:login-failures:${username}`, max: this.limits.perUser, scope: 'user' },
      { key: `pynomaly:login-failures-ip:${ip}`, max: this.limits.perIp, scope: 'ip' },
    ];
  }

  /** Seconds until this login may be tried, from the stricter counter; null when not throttled. */
  async check(username: string, ip: string): Promise<Throttled | null> {
    let worst: Throttled | null = null;
    for (const { key, max, scope } of this.keys(username, ip)) {
      const wait = await this.wait(key, max);
      if (wait > 0 && (!worst || wait > worst.retryAfter)) worst = { scope, retryAfter: wait };
    }
    return worst;
  }

  private async wait(key: string, max: number): Promise<number> {
    if (this.redis?.status === 'ready') {
      try {
        const [failures, ttl] = await Promise.all([this.redis.get(key), this.redis.ttl(key)]);
        return Number(failures ?? 0) >= max ? Math.max(1, ttl) : 0;
      } catch {
        // Redis failed mid-way: fall back to this process's count.
      }
    }
    const entry = this.local.get(key);
    if (!entry || entry.resetAt <= Date.now()) return 0;
    return entry.failures >= max ? Math.max(1, Math.ceil((entry.resetAt - Date.now()) / 1000)) : 0;
  }

  async failed(username: string, ip: string): Promise<void> {
    for (const { key } of this.keys(username, ip)) await this.count(key);
  }

  private async count(key: string): Promise<void> {
    const window = this.limits.windowSeconds;
    if (this.redis?.status === 'ready') {
      try {
        await this.redis.multi().incr(key).expire(key, window).exec();
        return;
      } catch {
        // fall through to the local count
      }
    }
    const now = Date.now();
    const entry = this.local.get(key);
    if (!entry || entry.resetAt <= now) this.local.set(key, { failures: 1, resetAt: now + window * 1000 });
    else {
      entry.failures += 1;
      entry.resetAt = now + window * 1000;
    }
  }

  /** A good password resets the user's count; the address's count runs out with its window. */
  async succeeded(username: string): Promise<void> {
    const [{ key }] = this.keys(username, '');
    this.local.delete(key);
    if (this.redis?.status === 'ready') await this.redis.del(key).catch(() => 0);
  }
}
