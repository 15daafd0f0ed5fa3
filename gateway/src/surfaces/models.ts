import type { Deployment, GatewayConfig } from '../config/types.js';

/** `GET /v1/models`: every served model name and alias, OpenAI's list shape. */
export function listModels(config: GatewayConfig, createdAt: number) {
  const created = Math.floor(createdAt / 1000);
  const ids = [...config.models.keys(), ...config.aliases.keys()];
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
  return { data };
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
