// k6 load test of a running Switchyard gateway, one scenario of ../scenarios.json per run:
//
//   k6 run -e SCENARIO=steady -e BASE_URL=http://127.0.0.1:4000 load-tests/k6/gateway.js
//
// Optional: -e MODEL=auto (default: the scenario file's model; use one your config serves), -e API_KEY=sk-…
// (sent as Authorization: Bearer). The run fails (k6 thresholds) when any request fails or any answer is
// incomplete. k6 reports p(50)/p(95)/p(99) of http_req_duration, split by the `stream` tag.
import http from 'k6/http';
import { check } from 'k6';

const data = JSON.parse(open('../scenarios.json'));
const name = __ENV.SCENARIO || 'smoke';
const scenario = data.scenarios[name];
if (!scenario) throw new Error(`unknown SCENARIO '${name}': one of ${Object.keys(data.scenarios).join(', ')}`);

const baseUrl = (__ENV.BASE_URL || 'http://127.0.0.1:4000').replace(/\/+$/, '');
const model = __ENV.MODEL || data.request.model;
const headers = { 'content-type': 'application/json' };
if (__ENV.API_KEY) headers.authorization = `Bearer ${__ENV.API_KEY}`;

/** Steps rather than ramps: one second to reach each stage's clients, then hold them. */
export function toK6Stages(stages) {
  return stages.flatMap((s) => [
    { duration: '1s', target: s.connections },
    { duration: `${Math.max(1, s.seconds - 1)}s`, target: s.connections },
  ]);
}

export const options = {
  scenarios: {
    [name]: {
      executor: 'ramping-vus',
      startVUs: scenario.stages[0].connections,
      stages: toK6Stages(scenario.stages),
      gracefulRampDown: '30s',
    },
  },
  thresholds: {
    http_req_failed: ['rate==0'],
    checks: ['rate==1'],
  },
  summaryTrendStats: ['avg', 'p(50)', 'p(95)', 'p(99)', 'max'],
};

const userText = 'Refactor the function below so that it handles empty input, then explain the change. '
  .repeat(Math.ceil(data.request.user_chars / 86))
  .slice(0, data.request.user_chars);
const messages = [
  { role: 'system', content: data.request.system },
  { role: 'user', content: userText },
];
const plainBody = JSON.stringify({ model, max_tokens: data.request.max_tokens, messages });
const streamBody = JSON.stringify({ model, max_tokens: data.request.max_tokens, messages, stream: true, stream_options: { include_usage: true } });

export default function () {
  const stream = Math.random() < scenario.stream_share;
  const res = http.post(`${baseUrl}/v1/chat/completions`, stream ? streamBody : plainBody, {
    headers,
    timeout: '120s',
    tags: { stream: String(stream) },
  });
  check(res, {
    'status is 200': (r) => r.status === 200,
    'answer is complete': (r) => (stream ? String(r.body).trimEnd().endsWith('data: [DONE]') : String(r.body).includes('"choices"')),
  });
}
