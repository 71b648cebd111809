export { StackStartError } from './errors.ts';
export { containerName, LABEL, owner, runLabels } from './labels.ts';
export { startStack } from './start-stack.ts';
export type { RunningStack, StackOptions } from './types.ts';
