/** Shared by the orchestrator core's engine tests: the stub service image, asking the engine what is left. */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { docker } from '../../src/orchestrator/engine/index.ts';
import { type ImageDefinition, projectImages } from '../../src/orchestrator/images/index.ts';
import { LABEL } from '../../src/orchestrator/stack/index.ts';

export const stubServiceImage: ImageDefinition = {
  name: 'stub-service',
  dir: join(import.meta.dirname, 'fixtures/stub-service'),
  from: [{ image: 'node-runtime', buildArg: 'NODE_IMAGE' }],
};

export const definitionsWithStub = (): ImageDefinition[] => [...projectImages(), stubServiceImage];

export function testRunId(prefix: string): string {
  return `${prefix}${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
}

/** Names of every container, network and volume labelled with the run. */
export async function resourcesOf(runId: string): Promise<string[]> {
  const engine = await docker();
  const filters = { label: [`${LABEL.run}=${runId}`] };
  const [containers, networks, volumes] = await Promise.all([
    engine.listContainers({ all: true, filters }),
    engine.listNetworks({ filters }),
    engine.listVolumes({ filters }),
  ]);
  return [
    ...containers.map((c) => `container ${c.Names[0]}`),
    ...networks.map((n) => `network ${n.Name}`),
    ...(volumes.Volumes ?? []).map((v) => `volume ${v.Name}`),
  ];
}

/** Polls until the run has nothing left or the deadline passes; returns ms taken (or what is left). */
export async function waitUntilGone(
  runId: string,
  timeoutMs: number,
): Promise<{ ms: number; left: string[] }> {
  const started = Date.now();
  for (;;) {
    const left = await resourcesOf(runId);
    if (left.length === 0 || Date.now() - started > timeoutMs) return { ms: Date.now() - started, left };
    await new Promise((r) => setTimeout(r, 250));
  }
}
