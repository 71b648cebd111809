import { hostname } from 'node:os';
import type Dockerode from 'dockerode';
import { docker } from '../engine/client.ts';
import { LABEL } from '../stack/labels.ts';
import { forceRemoveContainer, removeNetwork } from '../stack/remove.ts';
import { isProcessAlive, type LabelledResource, runVerdict } from './liveness.ts';

export interface RemovedResources {
  runs: string[];
  containers: string[];
  networks: string[];
  volumes: string[];
}

async function labelled(engine: Dockerode, label: string): Promise<LabelledResource[]> {
  const filters = { label: [label] };
  const [containers, networks, volumes] = await Promise.all([
    engine.listContainers({ all: true, filters }),
    engine.listNetworks({ filters }),
    engine.listVolumes({ filters }),
  ]);
  return [
    ...containers.map((c) => ({
      kind: 'container' as const,
      id: c.Id,
      name: (c.Names[0] ?? c.Id).replace(/^\//, ''),
      labels: c.Labels ?? {},
      running: c.State === 'running',
    })),
    ...networks.map((n) => ({ kind: 'network' as const, id: n.Id, name: n.Name, labels: n.Labels ?? {} })),
    ...(volumes.Volumes ?? []).map((v) => ({
      kind: 'volume' as const,
      id: v.Name,
      name: v.Name,
      labels: (v.Labels as Record<string, string> | null) ?? {},
    })),
  ];
}

/** Containers first (forced), then networks, then volumes; what failed is left for the next clean. */
async function removeResources(engine: Dockerode, resources: LabelledResource[], into: RemovedResources) {
  const settle = async (items: LabelledResource[], remove: (r: LabelledResource) => Promise<unknown>) => {
    const results = await Promise.allSettled(items.map(remove));
    return items.filter((_, i) => results[i].status === 'fulfilled').map((r) => r.name);
  };
  const of = (kind: LabelledResource['kind']) => resources.filter((r) => r.kind === kind);
  into.containers.push(...(await settle(of('container'), (r) => forceRemoveContainer(engine, r.id))));
  into.networks.push(...(await settle(of('network'), (r) => removeNetwork(engine, r.id))));
  into.volumes.push(
    ...(await settle(of('volume'), (r) =>
      engine
        .getVolume(r.id)
        .remove()
        .catch((e: { statusCode?: number }) => {
          if (e.statusCode !== 404) throw e;
        }),
    )),
  );
}

const empty = (): RemovedResources => ({ runs: [], containers: [], networks: [], volumes: [] });

/** Removes every container, network and volume of one run (its reaper included). Never throws for 404s. */
export async function removeRun(runId: string): Promise<RemovedResources> {
  const engine = await docker();
  const removed = empty();
  const resources = await labelled(engine, `${LABEL.run}=${runId}`);
  if (resources.length > 0) removed.runs.push(runId);
  await removeResources(engine, resources, removed);
  return removed;
}

/** Removes what runs that are over left behind (their reaper is not running and their runner is dead). */
export async function cleanOrphans(): Promise<RemovedResources> {
  const engine = await docker();
  const byRun = new Map<string, LabelledResource[]>();
  for (const r of await labelled(engine, LABEL.run)) {
    const run = r.labels[LABEL.run];
    byRun.set(run, [...(byRun.get(run) ?? []), r]);
  }
  const removed = empty();
  const ctx = { hostname: hostname(), isProcessAlive };
  for (const [run, resources] of byRun) {
    if (runVerdict(resources, ctx) !== 'gone') continue;
    removed.runs.push(run);
    await removeResources(engine, resources, removed);
  }
  return removed;
}
