import type { StoreConfig } from '../config/types.js';
import { MemoryStore } from './memory-store.js';
import { liveRequestCount } from '../telemetry/live-requests.js';
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
  // A settling request is still live, so a group commit pays off from two requests in flight.
  const journal = SpendJournal.inDir(config.dataDir, config.journalCompactBytes, () => liveRequestCount() > 1);
  return new MemoryStore(journal, Date.now, config.dataDir);
}
