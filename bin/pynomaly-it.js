#!/usr/bin/env node
// `npx pynomaly-it`: runs the TypeScript CLI through tsx (the repository runs TS without a build).
import { register } from 'tsx/esm/api';

register();
await import('../src/orchestrator/cli.ts');
