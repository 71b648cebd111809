/**
 * The broken service image of one fault, built FROM the correct service image (resolved the way
 * the runner resolves it: content tag, cached or built) with only the planted file's compiled
 * output replaced: a two-line Dockerfile, no staging, no npm ci. The image carries the project's
 * labels and a tag in the service image's repository, so `npm run it -- clean` removes one a
 * crashed check left behind (a tag no source makes is stale).
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { docker } from '../src/orchestrator/engine/client.ts';
import { REPO_ROOT } from '../src/orchestrator/images/definitions.ts';
import { realImageEngine } from '../src/orchestrator/images/engine-ops.ts';
import { resolveNamed } from '../src/orchestrator/images/index.ts';
import { LABEL, owner } from '../src/orchestrator/stack/labels.ts';
import { compilePlanted } from './compile.ts';
import type { Fault } from './fault.ts';
import { plant } from './plant.ts';

export const SERVICE_DIR = join(REPO_ROOT, 'containers/pynomaly');

/** Milliseconds: resolving the correct service image (a build when its sources changed), type-check and compile, docker build. */
export interface ImageTimings {
  service: number;
  compile: number;
  image: number;
}

export type FaultImage =
  | { kind: 'built'; tag: string; serviceImage: string; ms: ImageTimings }
  /** The planted copy does not compile: a broken fault, nothing to run. */
  | { kind: 'broken'; errors: string[]; ms: ImageTimings };

/** `pynomaly-it/pynomaly:fault-<name>-<pid>`: unique per check, at most 128 characters. */
export function faultTag(name: string, pid = process.pid): string {
  const safe = name.replace(/[^a-zA-Z0-9_.-]/g, '-').slice(0, 100);
  return `pynomaly-it/pynomaly:fault-${safe}-${pid}`;
}

async function serviceImage(): Promise<string> {
  const [service] = (await resolveNamed(['pynomaly'])).requested;
  return service.ref;
}

/**
 * The fault's file compiled, FROM a correct image that holds the very text it was planted in
 * (others edit the service meanwhile: an edit of another file costs no second service build).
 */
async function compileOnImage(fault: Fault, ms: ImageTimings) {
  const path = join(SERVICE_DIR, 'src', fault.file);
  for (let attempt = 0; attempt < 3; attempt++) {
    const source = await readFile(path, 'utf8');
    let started = Date.now();
    const from = await serviceImage();
    ms.service += Date.now() - started;
    if ((await readFile(path, 'utf8')) !== source) continue; // edited while the image was built
    started = Date.now();
    let text: string;
    try {
      text = plant(source, fault);
    } catch (error) {
      return { from, errors: [(error as Error).message], js: '', imagePath: '' };
    }
    const compiled = compilePlanted(SERVICE_DIR, fault.file, text);
    ms.compile += Date.now() - started;
    return { from, ...compiled };
  }
  throw new Error(`containers/pynomaly/src/${fault.file} kept changing while its image was resolved; retry`);
}

export async function buildFaultImage(fault: Fault): Promise<FaultImage> {
  const ms: ImageTimings = { service: 0, compile: 0, image: 0 };
  const { from, errors, js, imagePath } = await compileOnImage(fault, ms);
  if (errors.length > 0) return { kind: 'broken', errors, ms };
  const started = Date.now();
  const context = await mkdtemp(join(tmpdir(), 'pynomaly-it-fault-image-'));
  try {
    await writeFile(join(context, 'planted.js'), js);
    const labels = {
      [LABEL.owner]: owner(),
      [LABEL.pid]: String(process.pid),
      'pynomaly-it.fault': fault.name,
    };
    const label = Object.entries(labels).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
    await writeFile(
      join(context, 'Dockerfile'),
      `FROM ${from}\nLABEL ${label.join(' ')}\nCOPY --chown=root:root planted.js ${imagePath}\n`,
    );
    const tag = faultTag(fault.name);
    // Named 'pynomaly' so the build's pynomaly-it.image label is the service's (cleanup knows it).
    await realImageEngine().build({ name: 'pynomaly', dir: context, from: [] }, tag, {});
    ms.image = Date.now() - started;
    return { kind: 'built', tag, serviceImage: from, ms };
  } finally {
    await rm(context, { recursive: true, force: true });
  }
}

export async function removeImage(tag: string): Promise<void> {
  try {
    await (await docker()).getImage(tag).remove({ force: true });
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode !== 404) throw error;
  }
}
