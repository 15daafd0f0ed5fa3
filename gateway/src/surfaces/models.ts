import type { Deployment, GatewayConfig } from '../config/types.js';
import { routersOf, type CompiledRouter } from '../routing/compile-routers.js';

/** `GET /v1/models`: every served model name, alias and router (`auto` …), OpenAI's list shape. */
export function listModels(config: GatewayConfig, createdAt: number) {
  const created = Math.floor(createdAt / 1000);
  const routers = routersOf(config.extensions)?.byName.keys() ?? [];
  const ids = [...config.models.keys(), ...config.aliases.keys(), ...routers];
  return { object: 'list', data: ids.map((id) => ({ id, object: 'model', created, owned_by: 'switchyard' })) };
}

const perToken = (perMillion: number | undefined) => (perMillion === undefined ? undefined : perMillion / 1_000_000);

/**
 * `GET /v1/model/info` in LiteLLM's shape. Roo Code drops entries without `model_name`, `model_info` or
 * `litellm_params.model`, and Cline keys models by both names, so `litellm_params.model` repeats the public name.
 * Upstream URLs and keys are never exposed.
 */
export function modelInfo(config: GatewayConfig) {
  const data = [];
  for (const [name, deployments] of config.models) data.push(infoEntry(name, deployments[0]!));
  for (const [alias, target] of config.aliases) {
    const deployment = config.models.get(target)?.[0];
    if (deployment) data.push(infoEntry(alias, deployment));
  }
  for (const router of routersOf(config.extensions)?.byName.values() ?? []) {
    const entry = routerEntry(config, router);
    if (entry) data.push(entry);
  }
  return { data };
}

/**
 * A router as a model: limits are the smallest any of its models has (so a client never sends more than the
 * model the router picks can take), capabilities the ones all share, prices those of its most expensive tier
 * (what a client should budget for at worst).
 */
function routerEntry(config: GatewayConfig, router: CompiledRouter) {
  const deployments = [...router.tiers.values()].flatMap((tier) => tier.models.flatMap((name) => config.models.get(name)?.slice(0, 1) ?? []));
  if (deployments.length === 0) return undefined;
  const priciest = deployments.reduce((a, b) => ((b.prices.output ?? 0) > (a.prices.output ?? 0) ? b : a));
  const entry = infoEntry(router.name, priciest);
  const min = (values: Array<number | undefined>) => {
    const known = values.filter((v): v is number => v !== undefined);
    return known.length ? Math.min(...known) : null;
  };
  const every = (has: (d: Deployment) => boolean) => deployments.every(has);
  Object.assign(entry.model_info, {
    id: `router:${router.name}`,
    tier: null,
    max_input_tokens: min(deployments.map((d) => d.contextWindow)),
    max_output_tokens: min(deployments.map((d) => d.maxOutputTokens)),
    max_tokens: min(deployments.map((d) => d.maxOutputTokens)),
    supports_function_calling: every((d) => d.capabilities.tools),
    supports_tool_choice: every((d) => d.capabilities.tools),
    supports_vision: every((d) => d.capabilities.vision),
    supports_prompt_caching: every((d) => d.capabilities.caching),
    supports_reasoning: every((d) => d.capabilities.reasoning),
  });
  return entry;
}

function infoEntry(name: string, d: Deployment) {
  return {
    model_name: name,
    litellm_params: { model: name },
    model_info: {
      id: d.id,
      mode: 'chat',
      tier: d.tier ?? null,
      max_input_tokens: d.contextWindow ?? null,
      max_output_tokens: d.maxOutputTokens ?? null,
      max_tokens: d.maxOutputTokens ?? null,
      supports_function_calling: d.capabilities.tools,
      supports_tool_choice: d.capabilities.tools,
      supports_vision: d.capabilities.vision,
      supports_prompt_caching: d.capabilities.caching,
      supports_reasoning: d.capabilities.reasoning,
      input_cost_per_token: perToken(d.prices.input) ?? null,
      output_cost_per_token: perToken(d.prices.output) ?? null,
      cache_read_input_token_cost: perToken(d.prices.cacheRead) ?? null,
      cache_creation_input_token_cost: perToken(d.prices.cacheWrite) ?? null,
    },
  };
}
