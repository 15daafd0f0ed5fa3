import type { StoreConfig } from '../config/types.js';
import { MemoryStore } from './memory-store.js';
import { SpendJournal } from './spend-journal.js';
import type { StateStore } from './types.js';

/** Opens the configured store: memory (journal in the data directory, replayed now) or Redis (connected now). */
export async function openStore(config: StoreConfig): Promise<StateStore> {
  if (config.kind === 'redis') {
    // ioredis adds about 20 MB to the process: loaded only by instances that use it
    const { RedisStore } = await import('./redis-store.js');
    return RedisStore.connect({ url: config.url ?? 'redis://127.0.0.1:6379' });
  }
  return new MemoryStore(SpendJournal.inDir(config.dataDir, config.journalCompactBytes), Date.now, config.dataDir);
}
