import { z } from 'zod';
import { createKeySchema } from './admin-keys.js';
import { explainPromptSchema } from './admin-route-explain.js';
import * as s from './admin-schemas.js';

/**
 * `GET /openapi.json`: the admin API as an OpenAPI 3.1 document, built from the zod schemas the handlers
 * validate with (zod 4's own JSON Schema output, which is the dialect OpenAPI 3.1 uses).
 */

interface Operation {
  method: 'get' | 'post' | 'delete';
  path: string;
  summary: string;
  query?: z.ZodObject;
  pathParams?: string[];
  body?: z.ZodType;
  response: z.ZodType;
  status?: number;
}

const OPERATIONS: Operation[] = [
  { method: 'get', path: '/admin/overview', summary: 'Spend today / this week / this month, budgets, request and error rates, latency percentiles', query: s.overviewQuery, response: s.overviewResponse },
  { method: 'get', path: '/admin/requests', summary: 'The most recent requests (in-memory ring, no prompt text), filterable', query: s.requestsQuery, response: s.requestsResponse },
  { method: 'get', path: '/admin/routing', summary: 'Routers, rule hits, tier mix per minute and the latest routed decisions', response: s.routingResponse },
  { method: 'post', path: '/admin/route/explain', summary: 'Where a prompt (or a chat completions body) would be routed, and why', body: explainPromptSchema, response: s.explainResponse },
  { method: 'get', path: '/admin/models', summary: 'Deployments with prices, cooldowns, traffic health and latency estimates', response: s.modelsResponse },
  { method: 'get', path: '/admin/budgets', summary: 'Budgets in their current window', query: s.budgetsQuery, response: s.budgetsResponse },
  { method: 'get', path: '/admin/alerts', summary: 'Budget alert targets and the alerts this process sent', response: s.alertsResponse },
  { method: 'get', path: '/admin/spend', summary: 'Spend report grouped by key, team, user, model or day', query: s.spendQuery, response: s.spendResponse },
  { method: 'get', path: '/admin/keys', summary: 'Virtual keys (never their secrets)', response: s.keysResponse },
  { method: 'post', path: '/admin/keys', summary: 'Create a virtual key; the plain key is in this answer only. `admin: true` needs the master key', body: createKeySchema, response: s.createdKey, status: 201 },
  { method: 'delete', path: '/admin/keys/{id}', summary: 'Revoke a virtual key by id or alias', pathParams: ['id'], response: z.object({ revoked: z.string() }) },
  { method: 'post', path: '/admin/keys/{id}/rotate', summary: 'A new secret for the same key (same id, budgets and role); the old one stops working. Rotating an admin key needs the master key', pathParams: ['id'], response: s.createdKey },
  { method: 'get', path: '/admin/session', summary: 'Who the calling admin key is and whether it may manage admin keys', response: s.sessionResponse },
];

const schemaOf = (schema: z.ZodType, io: 'input' | 'output') => {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
};

let cached: object | undefined;

export function openapiDocument(): object {
  if (cached) return cached;
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of OPERATIONS) {
    const parameters = [
      ...(op.pathParams ?? []).map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } })),
      ...Object.entries(op.query?.shape ?? {}).map(([name, field]) => {
        const schema = schemaOf(field as z.ZodType, 'input');
        const { description, ...rest } = schema;
        return { name, in: 'query', required: !(field as z.ZodType).safeParse(undefined).success, ...(description ? { description } : {}), schema: rest };
      }),
    ];
    paths[op.path] ??= {};
    paths[op.path]![op.method] = {
      summary: op.summary,
      ...(parameters.length ? { parameters } : {}),
      ...(op.body ? { requestBody: { required: true, content: { 'application/json': { schema: schemaOf(op.body, 'input') } } } } : {}),
      responses: {
        [String(op.status ?? 200)]: { description: 'OK', content: { 'application/json': { schema: schemaOf(op.response, 'output') } } },
        '400': { $ref: '#/components/responses/Error' },
        '401': { $ref: '#/components/responses/Error' },
        '403': { $ref: '#/components/responses/Error' },
        ...(op.body ? { '413': { $ref: '#/components/responses/Error' } } : {}),
      },
    };
  }
  cached = {
    openapi: '3.1.0',
    info: { title: 'Switchyard admin API', version: '0.1.0', description: 'What the web console at /ui reads. Every endpoint needs the master key or an admin virtual key (401 without a valid key, 403 for a virtual key without the admin role); only the master key creates or rotates admin keys.' },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'The master key (`auth.master_key`) or an admin virtual key; `x-api-key` works too' } },
      responses: { Error: { description: 'An error in the OpenAI shape', content: { 'application/json': { schema: schemaOf(s.errorResponse, 'output') } } } },
    },
    paths,
  };
  return cached;
}
