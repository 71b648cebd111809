import '../engine/testcontainers-env.ts';

export { type ReaperHandle, type ReaperOptions, startReaper } from './start-reaper.ts';
