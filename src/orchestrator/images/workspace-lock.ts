/**
 * A workspace's own lockfile, cut out of the root's (npm workspaces keep one lockfile, at the
 * root). The service image installs its production dependencies from it in a staging folder
 * (`npm ci --omit=dev`, containers/pynomaly/scripts/stage-image.sh), where the workspace is the
 * root, so the packages it uses are re-rooted: `containers/pynomaly/node_modules/x` and the hoisted
 * `node_modules/x` both become `node_modules/x`. Its text is also part of the image's tag.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface LockEntry {
  version?: string;
  link?: boolean;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  [field: string]: unknown;
}

export interface Lockfile {
  name?: string;
  version?: string;
  lockfileVersion: number;
  requires?: boolean;
  packages: Record<string, LockEntry>;
}

/** Where the tree places a package's dependencies relative to it: npm's flags, recomputed by npm. */
const TREE_FLAGS = ['dev', 'optional', 'devOptional', 'peer'];

/** `a/node_modules/b` -> `a`; `node_modules/@s/x` and a workspace folder -> the root (''). */
function parentOf(location: string): string {
  const at = location.lastIndexOf('node_modules/');
  return at <= 0 ? '' : location.slice(0, at - 1);
}

/** Node's lookup over the lockfile's paths: the nearest node_modules/<name> up from `from`. */
function resolve(packages: Lockfile['packages'], name: string, from: string): string | undefined {
  for (let location = from; ; location = parentOf(location)) {
    const key = `${location ? `${location}/` : ''}node_modules/${name}`;
    if (packages[key]) return key;
    if (location === '') return undefined;
  }
}

function edges(entry: LockEntry, withDev: boolean): { name: string; optional: boolean }[] {
  const named = (deps: Record<string, string> | undefined, optional: (n: string) => boolean) =>
    Object.keys(deps ?? {}).map((name) => ({ name, optional: optional(name) }));
  return [
    ...named(entry.dependencies, () => false),
    ...(withDev ? named(entry.devDependencies, () => false) : []),
    ...named(entry.optionalDependencies, () => true),
    ...named(entry.peerDependencies, (n) => entry.peerDependenciesMeta?.[n]?.optional === true),
  ];
}

/** The lockfile of `workspace` (its folder relative to the root, e.g. containers/pynomaly) alone. */
export function workspaceLock(root: Lockfile, workspace: string): Lockfile {
  const { packages } = root;
  const top = packages[workspace];
  if (!top) throw new Error(`the root lockfile has no workspace ${workspace}: run npm install`);
  const reached = new Set<string>();
  const visit = (location: string, entry: LockEntry, withDev: boolean) => {
    for (const edge of edges(entry, withDev)) {
      const key = resolve(packages, edge.name, location);
      if (!key) {
        if (edge.optional) continue;
        throw new Error(`${edge.name}, needed by ${location}, is not in the root lockfile: run npm install`);
      }
      if (packages[key].link) throw new Error(`${workspace} depends on the linked ${key}: not supported`);
      if (reached.has(key)) continue;
      reached.add(key);
      visit(key, packages[key], false);
    }
  };
  visit(workspace, top, true);

  const sliced: Record<string, LockEntry> = {};
  const from: Record<string, string> = {};
  for (const key of [...reached].sort()) {
    const target = key.startsWith(`${workspace}/`) ? key.slice(workspace.length + 1) : key;
    if (from[target])
      throw new Error(
        `${from[target]} and ${key} would both be ${target} in ${workspace}'s own tree; ` +
          'align their versions (npm dedupe) so the workspace installs alone',
      );
    from[target] = key;
    const entry = { ...packages[key] };
    for (const flag of TREE_FLAGS) delete entry[flag];
    sliced[target] = entry;
  }
  const { name, version } = top;
  return {
    name: name as string,
    version: version as string,
    lockfileVersion: root.lockfileVersion,
    requires: true,
    packages: { '': top, ...sliced },
  };
}

/** `workspaceLock` of the lockfile in the folder `root`. */
export function rootWorkspaceLock(workspace: string, root: string): Lockfile {
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as Lockfile;
  return workspaceLock(lock, workspace);
}
