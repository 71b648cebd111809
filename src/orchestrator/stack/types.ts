import type { StackEndpoints } from '../../shared/stack-endpoints.ts';
import type { StackOperations } from './operations.ts';

/** What it takes to start one stack. The runner maps its config onto this. */
export interface StackOptions {
  runId: string;
  /** The suite this stack serves (or 'up' / 'health'); lands in labels and names. */
  suite: string;
  images: { pynomaly: string; postgres: string; redis: string };
  authEnabled: boolean;
  logLevel: string;
  seed: number;
  /** Collect V8 coverage of the service (NODE_V8_COVERAGE inside the container). */
  coverage: boolean;
  /** Extra PYNOMALY_* variables (tests of the orchestrator, overrides). */
  extraEnv?: Record<string, string>;
  reportsDir: string;
  startupTimeoutMs?: number;
  /** CPU quota of each container (service, PostgreSQL, Redis), in CPUs; undefined = none. */
  cpus?: number;
}

export interface RunningStack extends StackOperations {
  /** Where the stack is now (a restart may have moved a mapped port). */
  readonly endpoints: StackEndpoints;
  /** Write every container's log to `<dir>/<container>.log`; returns the paths. */
  saveLogs(dir: string): Promise<string[]>;
  /** Last `lines` lines of the service's log, for failure messages. */
  serviceLogTail(lines: number): Promise<string>;
  /** Copy service coverage out (when started with coverage), after a graceful stop. */
  collectCoverage(dir: string): Promise<string | undefined>;
  /** Remove containers and the network; idempotent, never throws. */
  stop(): Promise<void>;
}
