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

/** Removes a network; retried briefly because the engine detaches removed containers asynchronously. */
export async function removeNetwork(docker: Dockerode, idOrName: string, attempts = 10): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await docker.getNetwork(idOrName).remove();
      return;
    } catch (error) {
      if (statusOf(error) === 404) return;
      if (attempt >= attempts) throw error;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}
