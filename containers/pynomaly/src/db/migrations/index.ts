import { initialSchema } from './001-initial-schema.ts';
import { streamingAlertsAndMetadata } from './002-streaming-alerts-and-metadata.ts';
import { modelRegistry } from './003-model-registry.ts';
import { modelInputBatches } from './004-model-input-batches.ts';

/** A versioned schema change. SQL lives in TS modules so `tsc` output carries it (no asset copying). */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  initialSchema,
  streamingAlertsAndMetadata,
  modelRegistry,
  modelInputBatches,
];
