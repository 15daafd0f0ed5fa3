import type { z } from 'zod';
import { DEFAULT_DATA_DIR } from './defaults.js';
import type { storeSchema } from './native-schema.js';
import type { StoreConfig } from './types.js';

/** The `store:` section (native or in a LiteLLM file) compiled, with its defaults. */
export function storeConfig(section: z.infer<typeof storeSchema> | undefined): StoreConfig {
  return {
    kind: section?.kind ?? 'memory',
    url: section?.url,
    dataDir: section?.data_dir ?? DEFAULT_DATA_DIR,
    ...(section?.journal_compact_mb === undefined ? {} : { journalCompactBytes: Math.round(section.journal_compact_mb * 1024 * 1024) }),
  };
}
