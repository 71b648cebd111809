/**
 * What a suite is told about the stack it runs against. The orchestrator writes it once
 * per suite (JSON); the suites' global setup reads it and `provide`s it; tests `inject` it.
 * Only serialisable values: suites run in other processes than the orchestrator.
 */
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
}
