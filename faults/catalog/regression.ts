import type { Fault } from '../fault.ts';

/** Faults the regression suite must catch. */
export const FAULTS: readonly Fault[] = [
  {
    name: 'reg-format-v1-dropped',
    suite: 'regression',
    file: 'algorithms/documents.ts',
    find: 'export const SUPPORTED_FORMAT_VERSIONS: readonly number[] = [1, 2];',
    replace: 'export const SUPPORTED_FORMAT_VERSIONS: readonly number[] = [2];',
    why: 'model documents of format_version 1 are no longer importable',
  },
  {
    name: 'reg-timestamp-not-iso',
    suite: 'regression',
    file: 'services/streaming.ts',
    find: 'const timestamp = new Date().toISOString();',
    replace: 'const timestamp = new Date().toUTCString();',
    why: 'streaming score timestamps change format from ISO 8601 to an HTTP date',
  },
];
