/**
 * testcontainers' Ryuk (our reaper image, testcontainers-env.ts), started once before a stack's
 * containers start in parallel: testcontainers caches its Ryuk only once one is up, so concurrent
 * first starts would each start their own.
 */
import { getReaper } from 'testcontainers';
import { holdReaperConnection } from '../reaper/connection.ts';
import { dockerodeOf, engineClient } from './client.ts';
import { engineReach } from './reach.ts';
import { ryukUsable } from './testcontainers-env.ts';

const RYUK_PORT = '8080/tcp';

let ryuk: Promise<unknown> | undefined;

export function testcontainersReaper(env: NodeJS.ProcessEnv = process.env): Promise<unknown> {
  ryuk ??= (async () => {
    const runtime = await engineClient();
    // testcontainers reads this setting now, at its first getReaper.
    if (!ryukUsable(env, (await engineReach()).mode)) env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
    const reaper = await getReaper(runtime);
    if (!reaper.containerId) return reaper;
    // testcontainers holds one connection and never makes it again: if it drops, its Ryuk would
    // sweep the live session. A second one of ours, made again when it drops, keeps it waiting.
    const info = await dockerodeOf(runtime).getContainer(reaper.containerId).inspect();
    await holdReaperConnection({
      host: runtime.info.containerRuntime.host,
      port: Number(info.NetworkSettings.Ports[RYUK_PORT]?.[0]?.HostPort),
      filter: `label=org.testcontainers.session-id=${reaper.sessionId}`,
      name: info.Name.replace(/^\//, ''),
    });
    return reaper;
  })().catch((error) => {
    ryuk = undefined;
    throw error;
  });
  return ryuk;
}
