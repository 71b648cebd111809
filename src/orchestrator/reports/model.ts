import type { SuiteResult } from '../scheduler/types.ts';
import type { ApiCoverage } from './api-coverage.ts';
import type { Repro } from './repro.ts';
import type { CoverageSummary } from './service-coverage.ts';

/** Everything the reports say about one run (run.json is exactly this). */
export interface RunRecord {
  runId: string;
  command: string;
  startedAt: string;
  endedAt?: string;
  durationMs?: number;
  exitCode?: number;
  /** Ctrl-C / SIGTERM: these reports are partial. */
  interrupted: boolean;
  /** A set-up error that stopped the run (engine, images). */
  setupError?: string;
  config: Record<string, unknown>;
  engine?: Record<string, unknown>;
  images?: { pynomaly: string; postgres: string; redis: string };
  /** The engine's IDs of those images (what repro commands use). */
  imageIds?: { pynomaly: string; postgres: string; redis: string };
  timings: { engineMs?: number; imagesMs?: number; suitesMs?: number; images?: Record<string, number> };
  results: SuiteResult[];
  /** Commands that reproduce the whole run, and each failed suite alone and under its load (set at the end). */
  repro?: Repro;
  reportsDir: string;
  /** Union of the suites' API operation coverage (--coverage). */
  apiCoverage?: ApiCoverage;
  /** Line/branch coverage of the service's source over every suite (--coverage; coverage/index.html). */
  serviceCoverage?: CoverageSummary;
}
