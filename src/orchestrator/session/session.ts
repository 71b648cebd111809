import type { RunConfig } from '../config/types.ts';
import type { Logger } from '../logging/logger.ts';
import type { RunningStack } from '../stack/types.ts';
import type { Core, EngineInfo, Reaper, ResolvedImages } from './core.ts';

type Images = ResolvedImages['images'];

/** What a command asks of a stack beyond what the run's config already says. */
export interface StackRequest {
  /** The suite (or `up`, `health`) it serves; lands in labels and container names. */
  suite: string;
  reportsDir: string;
  /** PYNOMALY_* variables on top of the config's `--service-env` (a suite's own settings). */
  extraEnv?: Readonly<Record<string, string>>;
  coverage?: boolean;
}

export interface ResolvedRunImages {
  images: Images;
  /** The engine's IDs of those images: what reproduce lines name, so a rebuilt tag cannot stand in. */
  ids: Images;
  timings: Record<string, number>;
}

/**
 * One command's hold on the engine: the engine check, the reaper, the images and every stack
 * it started. `run`, `health` and `up` open one with `await using`, so whatever way the command
 * ends (success, error, Ctrl-C), its stacks are stopped, everything labelled with the run is
 * swept and the reaper is released.
 */
export class Session implements AsyncDisposable {
  readonly #live = new Set<RunningStack>();
  #reaper: Reaper | undefined;
  #images: Images | undefined;

  constructor(
    readonly config: RunConfig,
    readonly core: Core,
    private readonly logger: Logger,
  ) {}

  /** The engine answers, and from now on a reaper removes the run if this process dies. */
  async connect(): Promise<EngineInfo> {
    const info = await this.core.checkEngine();
    this.#reaper ??= await this.core.startReaper(this.config.runId, { logger: this.logger });
    return info;
  }

  /** The stack's three images, built when missing. */
  async resolveImages(): Promise<ResolvedRunImages> {
    const resolved = await this.core.resolveImages({ ...this.config.images, logger: this.logger });
    const { pynomaly, postgres, redis } = resolved.images;
    const [a, b, c] = await Promise.all([pynomaly, postgres, redis].map((ref) => this.core.imageId(ref)));
    this.#images = resolved.images;
    return {
      images: resolved.images,
      ids: { pynomaly: a, postgres: b, redis: c },
      timings: resolved.timings,
    };
  }

  /** A fresh stack from the run's config; stopped with the session unless stopped before. */
  async startStack(request: StackRequest): Promise<RunningStack> {
    if (!this.#images) throw new Error('Session.startStack before resolveImages');
    const { config } = this;
    const stack = await this.core.startStack({
      runId: config.runId,
      suite: request.suite,
      images: this.#images,
      authEnabled: config.auth,
      logLevel: config.logLevel,
      seed: config.seed,
      cpus: config.cpus,
      coverage: request.coverage ?? false,
      extraEnv: { ...request.extraEnv, ...config.serviceEnv },
      reportsDir: request.reportsDir,
    });
    // Stacks stop idempotently: one the job already stopped costs nothing at disposal.
    this.#live.add(stack);
    return stack;
  }

  /** Every stack still up, stopped in parallel (the first Ctrl-C; the jobs' own teardown finds them gone). */
  async stopStacks(): Promise<void> {
    await Promise.all([...this.#live].map((s) => s.stop()));
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stopStacks();
    // Anything labelled with this run that no handle covers (a stack still starting at Ctrl-C).
    await this.core.removeRun(this.config.runId).catch(() => undefined);
    await this.#reaper?.close();
  }
}
