import { initialSchema } from './001-initial-schema.ts';

/** A versioned schema change. SQL lives in TS modules so `tsc` output carries it (no asset copying). */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [initialSchema];
