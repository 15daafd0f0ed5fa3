import type { PipelineConfig } from '../config/pipeline-config.js';
import type { Role } from '../config/roles.js';
import { callWithRetries } from '../client/call-with-retries.js';
import type { ChatAnswer, ChatMessage } from '../client/chat-request.js';
import { callGateway } from '../client/gateway-client.js';
import type { Task } from '../tasks/task.js';
import type { Reporter } from './reporter.js';

/** Calls the gateway as one role of a task (its model, tier, temperature and the task's risk and area in headers). */
export async function callRole(config: PipelineConfig, role: Role, task: Task, messages: ChatMessage[], opts: { exclude?: string[]; reporter?: Reporter; signal?: AbortSignal }): Promise<ChatAnswer> {
  const settings = config.roles[role];
  const call = {
    role,
    risk: task.risk,
    area: task.area,
    model: settings.model,
    ...(settings.tier ? { tier: settings.tier } : {}),
    temperature: settings.temperature,
    maxTokens: settings.maxTokens,
    messages,
    ...(opts.exclude ? { exclude: opts.exclude } : {}),
  };
  const r = opts.reporter;
  const observer = { routed: (route: { model: string; tier?: string; rule?: string }) => r?.routed?.(route), text: (delta: string) => r?.text?.(delta) };
  return callWithRetries(
    config.retries,
    () => callGateway(config.gateway, call, { stream: config.stream, observer, ...(opts.signal ? { signal: opts.signal } : {}) }),
    (error, waitMs) => r?.note?.(`${role}: ${error.message} (HTTP ${error.details.status}); the gateway says it may help to retry, retrying in ${(waitMs / 1000).toFixed(1)} s`),
    opts.signal,
  );
}
