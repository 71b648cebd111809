/**
 * Faults planted on purpose in a throwaway copy of the reference service (containers/pynomaly)
 * to prove each suite goes red when the service is wrong. scripts/fault-check.ts applies one at a
 * time, builds an image from the broken copy and runs `suite` against it: the fault is caught
 * when that suite fails (exit code 1) for the reason the fault names (`expect`).
 *
 * One file per suite under faults/catalog/, so that each suite's faults live next to each other.
 */
import { FAULTS as apiWorkflows } from './catalog/api-workflows.ts';
import { FAULTS as database } from './catalog/database.ts';
import { FAULTS as endToEnd } from './catalog/end-to-end.ts';
import { FAULTS as performance } from './catalog/performance.ts';
import { FAULTS as regression } from './catalog/regression.ts';
import { FAULTS as security } from './catalog/security.ts';
import { FAULTS as streaming } from './catalog/streaming.ts';
import type { Fault } from './fault.ts';

export type { Fault } from './fault.ts';

export const FAULTS: readonly Fault[] = [
  ...apiWorkflows,
  ...database,
  ...streaming,
  ...performance,
  ...security,
  ...endToEnd,
  ...regression,
];
