import type { Redis } from 'ioredis';
import { loadModel, type TrainedModel } from '../algorithms/index.ts';
import type { Queryable } from '../db/pool.ts';
import { modelDocument } from '../db/repositories/models.ts';
import { notFound } from '../http/errors.ts';

const CACHE_TTL_SECONDS = 3600;
const LRU_SIZE = 64;

/**
 * Trained models by id. PostgreSQL holds every model document (the source of truth); an
 * in-process LRU avoids re-parsing hot models, and Redis shares parsed documents between
 * replicas when PYNOMALY_CACHE_ENABLED=true. A Redis failure only skips the cache.
 */
export class ModelStore {
  private readonly lru = new Map<string, TrainedModel>();

  constructor(
    private readonly db: Queryable,
    private readonly redis: Redis | null,
    private readonly cacheEnabled: boolean,
  ) {}

  private key(id: string): string {
    return `pynomaly:model:${id}`;
  }

  private remember(id: string, model: TrainedModel): void {
    this.lru.delete(id);
    this.lru.set(id, model);
    while (this.lru.size > LRU_SIZE) {
      const oldest = this.lru.keys().next().value;
      if (oldest === undefined) break;
      this.lru.delete(oldest);
    }
  }

  /** After training or import: keep the model hot (and in Redis when the cache is on). */
  async put(id: string, model: TrainedModel): Promise<void> {
    this.remember(id, model);
    if (this.cacheEnabled && this.redis?.status === 'ready')
      await this.redis
        .set(this.key(id), JSON.stringify(model.toDocument()), 'EX', CACHE_TTL_SECONDS)
        .catch(() => undefined);
  }

  async get(id: string): Promise<TrainedModel> {
    const hot = this.lru.get(id);
    if (hot) {
      this.remember(id, hot);
      return hot;
    }
    let document: unknown = null;
    if (this.cacheEnabled && this.redis?.status === 'ready') {
      const cached = await this.redis.get(this.key(id)).catch(() => null);
      if (cached) document = JSON.parse(cached);
    }
    if (document === null) {
      document = await modelDocument(this.db, id);
      if (document === null) throw notFound('Model');
      if (this.cacheEnabled && this.redis?.status === 'ready')
        await this.redis
          .set(this.key(id), JSON.stringify(document), 'EX', CACHE_TTL_SECONDS)
          .catch(() => undefined);
    }
    const model = loadModel(document);
    this.remember(id, model);
    return model;
  }
}
