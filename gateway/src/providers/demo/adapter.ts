import type { ChatChunk } from '../../core/chat-response.js';
import { GatewayError } from '../../core/errors.js';
import { connectionError } from '../http-client.js';
import type { ProviderAdapter, ProviderCall } from '../types.js';
import { DEMO_MODELS, type DemoModelSpec } from './catalog.js';
import { encodeChunks, encodeCompletion, type AnswerMeta } from './encode-output.js';
import { requestHash } from './inspect-request.js';
import { completionDelayMs, delayScaleFromEnv, generationDelayMs, waitFor } from './pace.js';
import { planOutput, type DemoOutput } from './plan-output.js';
import type { AbortSignalLike } from '../../core/request-signal.js';

export interface DemoAdapterOptions {
  /** Multiplies every simulated wait (0: none); defaults to `SWITCHYARD_DEMO_SPEED`, read on each call. */
  delayScale?: number;
}

/** A demo adapter; the gateway uses `demoAdapter`, tests may pick their own delay scale. */
export function createDemoAdapter(options: DemoAdapterOptions = {}): ProviderAdapter {
  const scale = (): number => options.delayScale ?? delayScaleFromEnv();
  return {
    kind: 'demo',
    async complete(call) {
      const { spec, output, meta } = prepare(call);
      await waitFor(completionDelayMs(spec, output.usage.completion_tokens) * scale(), call.signal);
      return { completion: encodeCompletion(output, meta) };
    },
    async stream(call) {
      const prepared = prepare(call);
      return streamOutput(prepared.spec, prepared.output, prepared.meta, call.signal, scale());
    },
  };
}

/** The built-in demo provider: deterministic fake models served in-process, so the gateway runs with no API key. */
export const demoAdapter: ProviderAdapter = createDemoAdapter();

/** Looks up the demo model a deployment names. */
export function findDemoModel(upstreamModel: string): DemoModelSpec {
  const spec = DEMO_MODELS.find((m) => m.name === upstreamModel);
  if (!spec) {
    const known = DEMO_MODELS.map((m) => m.name).join(', ');
    throw new GatewayError('not_found', `The demo provider has no model "${upstreamModel}"; it serves ${known}`, { code: 'model_not_found' });
  }
  return spec;
}

function prepare(call: ProviderCall): { spec: DemoModelSpec; output: DemoOutput; meta: AnswerMeta } {
  const spec = findDemoModel(call.deployment.upstreamModel);
  if (call.signal.aborted) throw connectionError(call.signal.reason, call.signal);
  const hash = requestHash(call.request, call.deployment.modelName);
  const meta: AnswerMeta = { id: `chatcmpl-demo-${hash.slice(0, 24)}`, created: Math.floor(Date.now() / 1000), model: call.deployment.modelName };
  return { spec, output: planOutput(spec, call.request, hash), meta };
}

async function* streamOutput(spec: DemoModelSpec, output: DemoOutput, meta: AnswerMeta, signal: AbortSignalLike, scale: number): AsyncGenerator<ChatChunk> {
  await waitFor(spec.ttftMs * scale, signal);
  let firstToken = true;
  for (const { chunk, tokens } of encodeChunks(output, meta)) {
    // the first token's generation is part of the time to first token
    await waitFor(tokens > 0 && !firstToken ? generationDelayMs(spec, tokens) * scale : 0, signal);
    if (tokens > 0) firstToken = false;
    yield chunk;
  }
}
