import { describe, expect, test } from 'vitest';
import { type Lockfile, workspaceLock } from '../../../src/orchestrator/images/workspace-lock.ts';

const WS = 'containers/svc';

/** A root with its own packages, and a workspace using hoisted and nested ones. */
function rootLock(extra: Lockfile['packages'] = {}): Lockfile {
  return {
    name: 'root',
    version: '1.0.0',
    lockfileVersion: 3,
    requires: true,
    packages: {
      '': { name: 'root', workspaces: [WS], dependencies: { tool: '1.0.0', lint: '1.0.0' } },
      [WS]: {
        name: 'svc',
        version: '2.0.0',
        dependencies: { web: '5.0.0', db: '8.0.0' },
        devDependencies: { tool: '1.0.0' },
      },
      'node_modules/svc': { resolved: WS, link: true },
      'node_modules/tool': { version: '1.0.0', dev: true, dependencies: { colors: '^1.0.0' } },
      'node_modules/colors': { version: '1.4.0', dev: true },
      'node_modules/lint': { version: '1.0.0', dependencies: { glob: '^10.0.0' } },
      'node_modules/glob': { version: '10.5.0', dev: true },
      'node_modules/db': { version: '8.0.0', dependencies: { 'pg-types': '^4.0.0' } },
      'node_modules/pg-types': { version: '4.1.0' },
      [`${WS}/node_modules/web`]: {
        version: '5.0.0',
        dependencies: { glob: '^11.0.0' },
        optionalDependencies: { 'native-darwin': '1.0.0' },
        peerDependencies: { logger: '*' },
        peerDependenciesMeta: { logger: { optional: true } },
      },
      [`${WS}/node_modules/glob`]: { version: '11.0.9' },
      'node_modules/unrelated': { version: '3.0.0' },
      ...extra,
    },
  };
}

describe('a workspace lockfile cut out of the root one', () => {
  test('holds what the workspace uses, hoisted or nested, re-rooted, and nothing else', () => {
    const lock = workspaceLock(rootLock(), WS);
    expect(lock).toMatchObject({ name: 'svc', version: '2.0.0', lockfileVersion: 3 });
    expect(Object.keys(lock.packages).sort()).toEqual([
      '',
      'node_modules/colors',
      'node_modules/db',
      'node_modules/glob',
      'node_modules/pg-types',
      'node_modules/tool',
      'node_modules/web',
    ]);
    expect(lock.packages[''].dependencies).toEqual({ web: '5.0.0', db: '8.0.0' });
    // The workspace's own glob (11), not the hoisted one (10) only the root's lint uses.
    expect(lock.packages['node_modules/glob'].version).toBe('11.0.9');
  });

  test("drops the root tree's dev/optional flags: npm computes them for the workspace's tree", () => {
    const lock = workspaceLock(rootLock(), WS);
    expect(lock.packages['node_modules/tool']).toEqual({
      version: '1.0.0',
      dependencies: { colors: '^1.0.0' },
    });
  });

  test('refuses a tree that cannot be re-rooted: two versions would share one path', () => {
    const conflicting = rootLock({
      'node_modules/db': { version: '8.0.0', dependencies: { glob: '^10.0.0' } },
    });
    expect(() => workspaceLock(conflicting, WS)).toThrow(
      'containers/svc/node_modules/glob and node_modules/glob would both be node_modules/glob',
    );
  });

  test('says what to do when a required package or the workspace is missing', () => {
    const missing = rootLock();
    delete missing.packages['node_modules/pg-types'];
    expect(() => workspaceLock(missing, WS)).toThrow(
      'pg-types, needed by node_modules/db, is not in the root lockfile',
    );
    expect(() => workspaceLock(rootLock(), 'containers/other')).toThrow('no workspace containers/other');
  });
});
