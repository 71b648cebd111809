import '../engine/ryuk-off.ts';

export { type ReaperHandle, type ReaperOptions, startReaper } from './start-reaper.ts';
