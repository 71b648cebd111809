import { describe, expect, test } from 'vitest';
import { ConfigError, isStrongSecret, loadConfig } from '../../src/config.ts';

const STRONG = 'Zq8v3LmN0pR7sT2uW5xY9aB4cD6eF1gH';

describe('loadConfig', () => {
  test('defaults of the contract', () => {
    const config = loadConfig({});
    expect(config.environment).toBe('development');
    expect(config.apiPort).toBe(8000);
    expect(config.defaultContaminationRate).toBe(0.1);
    expect(config.randomSeed).toBe(42);
    expect(config.maxStreamingSessions).toBe(10);
    expect(config.maxAutomlJobsPerUser).toBe(4);
    expect(config.authEnabled).toBe(false);
    expect(config.rateLimitPerMinute).toBe(60_000);
    expect(config.rateLimitWindowSeconds).toBe(60);
    expect(loadConfig({ PYNOMALY_API_RATE_LIMIT_WINDOW: '2' }).rateLimitWindowSeconds).toBe(2);
    expect(loadConfig({}).passwordHashRounds).toBe(10);
    expect(loadConfig({ PYNOMALY_PASSWORD_HASH_ROUNDS: '4' }).passwordHashRounds).toBe(4);
    expect(Object.isFrozen(config)).toBe(true);
  });

  test('an admin password over 72 bytes (bcrypt would ignore the rest) stops start-up', () => {
    const env = { PYNOMALY_ADMIN_USERNAME: 'admin', PYNOMALY_ADMIN_PASSWORD: 'x'.repeat(73) };
    expect(() => loadConfig(env)).toThrow('PYNOMALY_ADMIN_PASSWORD: must be at most 72 bytes');
  });

  test('production defaults to 100 requests a minute; the variable wins in every environment', () => {
    expect(
      loadConfig({ PYNOMALY_ENVIRONMENT: 'production', PYNOMALY_SECRET_KEY: STRONG }).rateLimitPerMinute,
    ).toBe(100);
    expect(
      loadConfig({ PYNOMALY_ENVIRONMENT: 'testing', PYNOMALY_API_RATE_LIMIT: '60' }).rateLimitPerMinute,
    ).toBe(60);
  });

  test.each([
    ['PYNOMALY_ENVIRONMENT', 'staging-ish'],
    ['PYNOMALY_API_PORT', 'eighty'],
    ['PYNOMALY_API_PORT', '70000'],
    ['PYNOMALY_API_RATE_LIMIT', '-5'],
    ['PYNOMALY_API_RATE_LIMIT_WINDOW', '0'],
    ['PYNOMALY_API_RATE_LIMIT_WINDOW', '1.5'],
    ['PYNOMALY_API_RATE_LIMIT_WINDOW', 'minute'],
    ['PYNOMALY_DEFAULT_CONTAMINATION_RATE', '0.9'],
    ['PYNOMALY_DEFAULT_CONTAMINATION_RATE', '0'],
    ['PYNOMALY_MAX_STREAMING_SESSIONS', 'many'],
    ['PYNOMALY_DATABASE_URL', 'mysql://nope'],
    ['PYNOMALY_REDIS_URL', 'not a url'],
    ['PYNOMALY_CACHE_ENABLED', 'maybe'],
    ['PYNOMALY_LOG_LEVEL', 'loud'],
    ['PYNOMALY_CORS_ORIGINS', '*'],
    ['PYNOMALY_PASSWORD_HASH_ROUNDS', '3'],
    ['PYNOMALY_PASSWORD_HASH_ROUNDS', '16'],
  ])('a bad %s=%s is refused naming the variable', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(name);
  });

  test('auth needs a secret key; production needs a strong one', () => {
    expect(() => loadConfig({ PYNOMALY_AUTH_ENABLED: 'true' })).toThrow('PYNOMALY_SECRET_KEY');
    expect(() =>
      loadConfig({
        PYNOMALY_ENVIRONMENT: 'production',
        PYNOMALY_AUTH_ENABLED: 'true',
        PYNOMALY_SECRET_KEY: 'secret',
      }),
    ).toThrow('PYNOMALY_SECRET_KEY');
    expect(() => loadConfig({ PYNOMALY_ENVIRONMENT: 'production' })).toThrow('PYNOMALY_SECRET_KEY');
    const config = loadConfig({
      PYNOMALY_ENVIRONMENT: 'production',
      PYNOMALY_AUTH_ENABLED: 'true',
      PYNOMALY_SECRET_KEY: STRONG,
    });
    expect(config.secretKey).toBe(STRONG);
    expect(config.docsEnabled).toBe(false);
  });

  test('admin username and password come together', () => {
    expect(() => loadConfig({ PYNOMALY_ADMIN_USERNAME: 'admin' })).toThrow('PYNOMALY_ADMIN_PASSWORD');
    expect(
      loadConfig({ PYNOMALY_ADMIN_USERNAME: 'admin', PYNOMALY_ADMIN_PASSWORD: 'long-enough' }).adminUsername,
    ).toBe('admin');
  });

  test('flags and origins parse', () => {
    const config = loadConfig({
      PYNOMALY_CORS_ENABLED: 'TRUE',
      PYNOMALY_CORS_ORIGINS: 'http://a.test, https://b.test:8443',
      PYNOMALY_CACHE_ENABLED: '0',
    });
    expect(config.corsEnabled).toBe(true);
    expect(config.cacheEnabled).toBe(false);
    expect(config.corsOrigins).toEqual(['http://a.test', 'https://b.test:8443']);
  });

  test('isStrongSecret', () => {
    expect(isStrongSecret(STRONG)).toBe(true);
    expect(isStrongSecret('short')).toBe(false);
    expect(isStrongSecret('changeme-changeme-changeme-changeme')).toBe(false);
    expect(isStrongSecret('a'.repeat(40))).toBe(false);
  });
});
