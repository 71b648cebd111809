import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

/** Folders that are build output or installed dependencies, never image sources. */
export const IGNORED_DIRS = new Set(['node_modules', '.image', 'dist', 'coverage']);

async function listFiles(root: string, skip: ReadonlySet<string>, dir = root): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map(async (entry) => {
      const path = join(dir, entry.name);
      const rel = relative(root, path).split(sep).join('/');
      if (skip.has(rel)) return [];
      if (entry.isDirectory()) return IGNORED_DIRS.has(entry.name) ? [] : listFiles(root, skip, path);
      return entry.isFile() || entry.isSymbolicLink() ? [rel] : [];
    }),
  );
  return nested.flat();
}

/**
 * sha256 over a folder's sources (sorted relative paths, the executable bit — COPY keeps it —
 * and contents) plus extra strings (the tags of the images it builds FROM, dependencies locked
 * outside the folder). `skip`: relative
 * paths (files or folders) that never reach the image.
 */
export async function contentHash(
  dir: string,
  extra: readonly string[] = [],
  skip: readonly string[] = [],
): Promise<string> {
  const files = (await listFiles(dir, new Set(skip))).sort();
  const contents = await Promise.all(
    files.map(async (file) => {
      const path = join(dir, file);
      const [data, info] = await Promise.all([readFile(path), stat(path)]);
      return { file, data, executable: (info.mode & 0o111) !== 0 };
    }),
  );
  const hash = createHash('sha256');
  for (const { file, data, executable } of contents) {
    hash.update(`${file}\0${executable ? 'x' : '-'}\0${data.length}\0`);
    hash.update(data);
  }
  for (const item of extra) hash.update(`from\0${item}\0`);
  return hash.digest('hex');
}

/** `pynomaly-it/<name>:<first 12 hex of the content hash>`. */
export async function imageTag(
  name: string,
  dir: string,
  fromTags: readonly string[] = [],
  skip: readonly string[] = [],
): Promise<string> {
  return `pynomaly-it/${name}:${(await contentHash(dir, fromTags, skip)).slice(0, 12)}`;
}
