export { type ReaperHandle, type ReaperOptions, startReaper } from './start-reaper.ts';
