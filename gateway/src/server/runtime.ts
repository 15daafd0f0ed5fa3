import type { Logger } from 'pino';
import type { GatewayConfig } from '../config/types.js';

/** The live state a request reads: swapped as a whole on reload, so a request sees one consistent config. */
export interface Runtime {
  config: GatewayConfig;
  readonly logger: Logger;
  readonly startedAt: number;
}
