export { checkEngine, docker, dockerHostOf, type EngineInfo, engineClient } from './client.ts';
export { EngineUnavailableError } from './errors.ts';
