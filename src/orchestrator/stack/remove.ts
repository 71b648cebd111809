import type Dockerode from 'dockerode';

function statusOf(error: unknown): number | undefined {
  return (error as { statusCode?: number }).statusCode;
}

/** Force-removes a container (and its anonymous volumes); gone already is fine. */
export async function forceRemoveContainer(docker: Dockerode, idOrName: string): Promise<void> {
  try {
    await docker.getContainer(idOrName).remove({ force: true, v: true });
  } catch (error) {
    // 404: gone; 409: removal already in progress.
    if (statusOf(error) !== 404 && statusOf(error) !== 409) throw error;
  }
}

/**
 * Removes a network; retried briefly because the engine detaches removed containers
 * asynchronously. A container still attached after that (a runner in a container that joined it,
 * engine/reach.ts, and outlived its run) is disconnected: the network is the run's.
 */
export async function removeNetwork(docker: Dockerode, idOrName: string, attempts = 10): Promise<void> {
  const network = docker.getNetwork(idOrName);
  for (let attempt = 1; ; attempt++) {
    try {
      await network.remove();
      return;
    } catch (error) {
      if (statusOf(error) === 404) return;
      if (attempt >= attempts) throw error;
      if (attempt === attempts - 1) {
        const info = (await network.inspect().catch(() => undefined)) as
          | Dockerode.NetworkInspectInfo
          | undefined;
        const attached = Object.keys(info?.Containers ?? {});
        await Promise.allSettled(attached.map((id) => network.disconnect({ Container: id, Force: true })));
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}
