import type { StoreConfig } from '../config/types.js';
import { MemoryStore } from './memory-store.js';
import { othersInFlight } from '../telemetry/live-requests.js';
import { SpendJournal } from './spend-journal.js';
import type { StateStore } from './types.js';

/**
 * Loads the Redis store's code (ioredis adds about 20 MB to the process, so only instances configured for Redis
 * load it). Called at start-up, so that the first readiness probe does not wait for the import.
 */
export function loadRedisStore(): Promise<typeof import('./redis-store.js')> {
  return import('./redis-store.js');
}

/** Opens the configured store: memory (journal in the data directory, replayed now) or Redis (connected now). */
export async function openStore(config: StoreConfig): Promise<StateStore> {
  if (config.kind === 'redis') {
    const { RedisStore } = await loadRedisStore();
    return RedisStore.connect({ url: config.url ?? 'redis://127.0.0.1:6379' });
  }
  return new MemoryStore(SpendJournal.inDir(config.dataDir, config.journalCompactBytes, othersInFlight), Date.now, config.dataDir);
}
