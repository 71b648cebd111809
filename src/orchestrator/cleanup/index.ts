export { cleanOrphans, type RemovedResources, removeRun } from './clean.ts';
export { type LabelledResource, runVerdict } from './liveness.ts';
