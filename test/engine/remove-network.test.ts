/**
 * A run's network still joined by a container that outlived the run (a runner in a container
 * joins its stacks' networks: engine/reach.ts) is removed all the same.
 */
import { afterAll, describe, expect, test } from 'vitest';
import { docker } from '../../src/orchestrator/engine/index.ts';
import { resolveNamed } from '../../src/orchestrator/images/index.ts';
import { containerName, runLabels } from '../../src/orchestrator/stack/labels.ts';
import { forceRemoveContainer, removeNetwork } from '../../src/orchestrator/stack/remove.ts';
import { resourcesOf, testRunId } from './core-helpers.ts';

describe('removing a run network', () => {
  const runId = testRunId('rmnet');
  const name = containerName(runId, 'net-test', 'joined');
  const network = containerName(runId, 'net-test', 'net');

  afterAll(async () => {
    const engine = await docker();
    await forceRemoveContainer(engine, name);
    await removeNetwork(engine, network).catch(() => undefined);
  });

  test('disconnects a running container that still holds it', async () => {
    const engine = await docker();
    const [runtime] = (await resolveNamed(['node-runtime'])).requested;
    await engine.createNetwork({ Name: network, Labels: runLabels(runId, 'net-test', 'network') });
    // Not labelled with the run: it stands for the job container, which is not the run's.
    const container = await engine.createContainer({
      name,
      Image: runtime.ref,
      Cmd: ['node', '-e', 'setTimeout(() => {}, 120000)'],
      HostConfig: { NetworkMode: network },
    });
    await container.start();
    await expect(engine.getNetwork(network).remove()).rejects.toThrow(/active endpoints/);

    await removeNetwork(engine, network, 3);
    expect(await resourcesOf(runId)).toEqual([]);
    expect((await container.inspect()).State.Running).toBe(true);
  });
});
