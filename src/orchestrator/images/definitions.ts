import { join } from 'node:path';
import { rootWorkspaceLock } from './workspace-lock.ts';

/** The image every other one builds FROM; an official name, so Dockerfiles stay standard. */
export const BASE_IMAGE = 'debian:bookworm-slim';

/** The official Node image Dockerfile.integration-tests builds FROM (containers/node stands in for it). */
export const CI_NODE_IMAGE = 'node:24.11.1-bookworm-slim';

export interface StagePlan {
  /** Command that prepares the build context (argv; runs on the host). */
  command: string[];
  /** The folder that is then the build context. */
  context: string;
}

export interface ImageDefinition {
  /** Short name: pynomaly-it/<name>:<hash>. */
  name: string;
  /** Folder whose sources make the tag (and, without a stage step, the build context). */
  dir: string;
  /** Images this one builds FROM: by definition name; buildArg passes the resolved tag. */
  from: { image: string; buildArg?: string }[];
  /** Relative paths in dir that never reach the image (left out of the tag). */
  skip?: string[];
  /**
   * The dependencies the image installs when they are locked outside dir (an npm workspace's part
   * of the root lockfile): part of the tag, so a changed lock rebuilds the image.
   */
  lockedDependencies?: () => string;
  /** Optional staging step; gets an empty scratch folder. */
  stage?: (scratch: string) => StagePlan;
  /**
   * An official image this one stands in for: the tag is that name, used when present or
   * pulled, and built from dir only where no registry has it (as the base is bootstrapped).
   */
  official?: string;
}

/** Repo root, from this file's place (src/orchestrator/images). */
export const REPO_ROOT = join(import.meta.dirname, '../../..');

export function projectImages(root = REPO_ROOT): ImageDefinition[] {
  const containers = join(root, 'containers');
  return [
    { name: 'postgres', dir: join(containers, 'postgres'), from: [{ image: 'base' }] },
    { name: 'redis', dir: join(containers, 'redis'), from: [{ image: 'base' }] },
    {
      name: 'node-runtime',
      dir: join(containers, 'node-runtime'),
      from: [{ image: 'base' }],
      stage: (scratch) => ({
        command: ['bash', join(containers, 'node-runtime/stage.sh'), scratch],
        context: scratch,
      }),
    },
    {
      name: 'node',
      dir: join(containers, 'node'),
      from: [{ image: 'base' }],
      official: CI_NODE_IMAGE,
      stage: (scratch) => ({
        command: ['bash', join(containers, 'node/stage.sh'), scratch],
        context: scratch,
      }),
    },
    {
      name: 'pynomaly',
      dir: join(containers, 'pynomaly'),
      from: [{ image: 'node-runtime', buildArg: 'NODE_IMAGE' }],
      // Only src/ is compiled into the image: a test or doc change must not cost a rebuild.
      skip: ['test', 'README.md'],
      lockedDependencies: () => JSON.stringify(rootWorkspaceLock('containers/pynomaly', root)),
      stage: (scratch) => ({
        command: ['bash', join(containers, 'pynomaly/scripts/stage-image.sh'), scratch],
        context: scratch,
      }),
    },
    {
      name: 'reaper',
      dir: join(containers, 'reaper'),
      from: [{ image: 'node-runtime', buildArg: 'NODE_IMAGE' }],
    },
  ];
}

/** Builds the base image where no registry answers (debootstrap + docker import). */
export function baseBootstrap(root = REPO_ROOT): string[] {
  return ['bash', join(root, 'containers/base/bootstrap.sh'), BASE_IMAGE];
}
