import type { Deployment, GatewayConfig } from './types.js';

/** The deployment with a served id (`model#index`, as requests record it); undefined for none or an unknown id. */
export function deploymentById(config: GatewayConfig, id: string | undefined): Deployment | undefined {
  const hash = id === undefined ? -1 : id.lastIndexOf('#');
  return hash < 0 ? undefined : config.models.get(id!.slice(0, hash))?.find((d) => d.id === id);
}
