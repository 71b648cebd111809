import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { docker, dockerHostOf } from '../engine/client.ts';
import { baseBootstrap } from './definitions.ts';
import { ImageBuildError, lastLines } from './errors.ts';
import { withLock } from './lock.ts';
import type { ImageEngine } from './resolve.ts';
import { runCommand } from './run-command.ts';
import { definitionTag } from './tags.ts';

export const IMAGE_LABEL = 'pynomaly-it.image';
const PULL_TIMEOUT_MS = Number(process.env.PYNOMALY_IT_PULL_TIMEOUT_MS) || 60_000;

/** The docker CLI talks to the same engine as testcontainers; legacy builder (no buildx here). */
async function cliEnv(): Promise<NodeJS.ProcessEnv> {
  return { ...process.env, DOCKER_HOST: dockerHostOf(await docker()), DOCKER_BUILDKIT: '0' };
}

export function realImageEngine(logger?: Logger): ImageEngine {
  return {
    async exists(ref) {
      try {
        await (await docker()).getImage(ref).inspect();
        return true;
      } catch (error) {
        if ((error as { statusCode?: number }).statusCode === 404) return false;
        throw error;
      }
    },

    async pull(ref) {
      logger?.info({ image: ref }, `pulling ${ref}`);
      const result = await runCommand(['docker', 'pull', ref], {
        env: await cliEnv(),
        timeoutMs: PULL_TIMEOUT_MS,
      });
      if (result.code === 0) return true;
      logger?.info(
        { image: ref },
        `could not pull ${ref}${result.timedOut ? ` (no answer in ${PULL_TIMEOUT_MS / 1000} s)` : `: ${lastLines(result.output, 1)}`}`,
      );
      return false;
    },

    async bootstrapBase(ref) {
      logger?.info({ image: ref }, `no registry has ${ref}: bootstrapping it from the Debian mirror`);
      const result = await runCommand(baseBootstrap(), { env: await cliEnv() });
      if (result.code !== 0)
        throw new ImageBuildError(
          ref,
          `Could not make the base image ${ref} (containers/base/bootstrap.sh exited ${result.code}). Last lines:\n` +
            `${lastLines(result.output)}\nFix: make ${ref} available to the engine (docker pull ${ref} where a ` +
            'registry answers), or run containers/base/bootstrap.sh as root on Debian with the mirror reachable.',
        );
    },

    async build(definition, tag, buildArgs) {
      const scratch = await mkdtemp(join(tmpdir(), `pynomaly-it-stage-${definition.name}-`));
      try {
        let context = definition.dir;
        if (definition.stage) {
          const plan = definition.stage(scratch);
          logger?.info({ image: definition.name }, `staging ${definition.name}: ${plan.command.join(' ')}`);
          const staged = await runCommand(plan.command, { cwd: definition.dir });
          if (staged.code !== 0)
            throw new ImageBuildError(
              tag,
              `Staging the ${definition.name} image failed (${plan.command.join(' ')} exited ${staged.code}). ` +
                `Last lines:\n${lastLines(staged.output)}\nFix: run that command by hand in ${definition.dir} and fix ` +
                'what it reports (node_modules installed? npm cache or registry reachable?).',
            );
          context = plan.context;
        }
        const argv = [
          'docker',
          'build',
          '--rm',
          '--force-rm',
          '--label',
          `${IMAGE_LABEL}=${definition.name}`,
          '-t',
          tag,
        ];
        for (const [key, value] of Object.entries(buildArgs)) argv.push('--build-arg', `${key}=${value}`);
        argv.push(context);
        logger?.info({ image: definition.name, tag }, `building ${tag}`);
        const built = await runCommand(argv, {
          env: await cliEnv(),
          onLine: (line) => logger?.debug({ image: definition.name }, line),
        });
        if (built.code !== 0)
          throw new ImageBuildError(
            tag,
            `Building the ${definition.name} image ${tag} failed (docker build exited ${built.code}). Last lines:\n` +
              `${lastLines(built.output)}\nFix: correct ${join(definition.dir, 'Dockerfile')} or its inputs, then ` +
              `rerun; reproduce with: ${argv.join(' ')}`,
          );
      } finally {
        await rm(scratch, { recursive: true, force: true });
      }
    },

    withLock,

    tagOf: definitionTag,
  };
}
