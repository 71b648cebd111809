// What loadCore does before a command touches the engine: testcontainers reads its Ryuk image when
// it loads, and these tests import the engine modules directly (engine/testcontainers-env.ts).
import { prepareTestcontainers } from '../../src/orchestrator/engine/testcontainers-env.ts';

await prepareTestcontainers();
