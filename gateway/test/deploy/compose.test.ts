import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig, loadConfigFile } from '../../src/config/load-config.js';
import { demoConfigDocument, openrouterConfigDocument } from '../../src/config/builtin-configs.js';
import { freePort } from '../support/redis-server.js';
import { isPinnedImage, readRepoFile, readYamlDocs, repoHas, repoPath, ROOT, startListening, type Started } from './repo-files.js';

// Docker is not available where the tests run: the compose file, the Dockerfile and the container entry point
// are checked structurally here (and with dclint, which validates against the Compose specification's schema),
// and what can run without Docker does: the entry script and the image's HEALTHCHECK command.

const compose = readYamlDocs('docker-compose.yml')[0] as {
  name: string;
  services: Record<string, any>;
  volumes: Record<string, unknown>;
};
const dockerfile = readRepoFile('Dockerfile');
const envExample = readRepoFile('.env.example');

/** Host paths of bind mounts (`./x:/y[:ro]`), relative to the repository root. */
const bindMounts = (service: any): string[] =>
  (service.volumes ?? []).filter((v: unknown) => typeof v === 'string' && v.startsWith('./')).map((v: string) => v.split(':')[0]!.slice(2));

/** The variables a compose file reads: `${VAR}` / `${VAR:-default}` and bare `VAR:` environment entries. */
function composeVariables(): Set<string> {
  const text = readRepoFile('docker-compose.yml');
  const vars = new Set([...text.matchAll(/\$\{([A-Z0-9_]+)(?::?-[^}]*)?\}/g)].map((m) => m[1]!));
  const passThrough = (env: Record<string, unknown> | undefined) => Object.entries(env ?? {}).filter(([, v]) => v === null).map(([k]) => k);
  for (const service of Object.values(compose.services)) for (const k of passThrough(service.environment)) vars.add(k);
  return vars;
}

const listedInEnvExample = new Set([...envExample.matchAll(/^#? ?([A-Z0-9_]+)=/gm)].map((m) => m[1]!));

/** The instructions of the final (runtime) stage of the Dockerfile. */
function runtimeStage(): string[] {
  const lines = dockerfile.replace(/\\\n\s*/g, ' ').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  const start = lines.map((l, i) => [l, i] as const).filter(([l]) => /^FROM /i.test(l)).pop()![1];
  return lines.slice(start);
}

describe('docker-compose.yml', () => {
  it('passes dclint (Compose specification schema and its rules)', () => {
    const bin = join(ROOT, 'node_modules', '.bin', 'dclint');
    const res = spawnSync(bin, ['docker-compose.yml', '--formatter', 'json', '--config', repoPath('.dclintrc.yaml')], { cwd: ROOT, encoding: 'utf8' });
    const report = JSON.parse(res.stdout || '[]') as Array<{ messages: Array<{ rule: string; message: string; line: number }> }>;
    const messages = report.flatMap((r) => r.messages.map((m) => `${m.line}: ${m.rule}: ${m.message}`));
    expect(messages).toEqual([]);
    expect(res.status).toBe(0);
  });

  it('wires the services the stack promises, with the gateway on :4000 behind 127.0.0.1', () => {
    expect(Object.keys(compose.services)).toEqual(expect.arrayContaining(['gateway', 'redis', 'prometheus', 'grafana', 'litellm', 'gateway-litellm', 'jaeger']));
    const gateway = compose.services.gateway;
    expect(gateway.ports).toEqual(['127.0.0.1:${SWITCHYARD_PORT:-4000}:4000']);
    expect(gateway.environment.SWITCHYARD_STORE_KIND).toBe('redis');
    expect(gateway.environment.SWITCHYARD_REDIS_URL).toBe('redis://redis:6379');
    expect(gateway.depends_on.redis.condition).toBe('service_healthy');
    expect(gateway.read_only).toBe(true);
    // SIGKILL only after the drain timeout has passed
    expect(Number.parseInt(gateway.stop_grace_period, 10)).toBeGreaterThan(Number(gateway.environment.SWITCHYARD_DRAIN_TIMEOUT_S.match(/:-(\d+)/)[1]));
    for (const [name, service] of Object.entries(compose.services)) {
      for (const port of service.ports ?? []) expect(port, `${name} publishes ${port}`).toMatch(/^127\.0\.0\.1:/);
    }
    expect(compose.services.litellm.profiles).toEqual(['litellm']);
    expect(compose.services['gateway-litellm'].profiles).toEqual(['litellm']);
    expect(compose.services.jaeger.profiles).toEqual(['tracing']);
  });

  it('runs Redis with AOF on a volume, health-checked', () => {
    const redis = compose.services.redis;
    expect(redis.command.join(' ')).toContain('--appendonly yes');
    expect(redis.volumes).toContain('redis-data:/data');
    expect(redis.healthcheck.test).toEqual(['CMD', 'redis-cli', 'ping']);
  });

  it('pins every image to a version', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      if (service.build !== undefined) continue;
      expect(isPinnedImage(service.image), `${name}: ${service.image}`).toBe(true);
    }
    // the two gateways are built from this repository's Dockerfile
    expect([compose.services.gateway.build, compose.services['gateway-litellm'].build]).toEqual(['.', '.']);
  });

  it('mounts only files and folders that exist in the repository', () => {
    const mounts = Object.values(compose.services).flatMap(bindMounts);
    expect(mounts).toEqual(
      expect.arrayContaining(['prometheus.yml', 'prometheus', 'grafana/provisioning', 'dashboards', 'deploy/compose/litellm/config.yaml', 'deploy/compose/switchyard-litellm.yaml']),
    );
    for (const m of mounts) expect(repoHas(m), `${m} is mounted but missing`).toBe(true);
    // Grafana finds dashboards where its provisioning says, Prometheus its rules where prometheus.yml says
    const provider = readYamlDocs('grafana/provisioning/dashboards', readdirSync(repoPath('grafana/provisioning/dashboards'))[0]!)[0];
    const dashboardsMount = compose.services.grafana.volumes.find((v: string) => v.startsWith('./dashboards:')).split(':')[1];
    expect(provider.providers[0].options.path).toBe(dashboardsMount);
    expect(readdirSync(repoPath('dashboards')).filter((f) => f.endsWith('.json')).length).toBeGreaterThan(0);
    const prom = readYamlDocs('prometheus.yml')[0];
    for (const rules of prom.rule_files ?? []) expect(repoHas(rules), `rule file ${rules}`).toBe(true);
    const targets = prom.scrape_configs.flatMap((s: any) => s.static_configs.flatMap((c: any) => c.targets));
    expect(targets).toContain('gateway:4000');
    const datasource = readYamlDocs('grafana/provisioning/datasources', readdirSync(repoPath('grafana/provisioning/datasources'))[0]!)[0];
    expect(datasource.datasources[0].url).toBe('http://prometheus:9090');
  });

  it('lists every variable it reads in .env.example, and nothing else', () => {
    const used = composeVariables();
    const unlisted = [...used].filter((v) => !listedInEnvExample.has(v));
    expect(unlisted).toEqual([]);
    const unused = [...listedInEnvExample].filter((v) => !used.has(v));
    expect(unused).toEqual([]);
  });
});

describe('the bundled container configs', () => {
  const env = { OPENROUTER_API_KEY: 'sk-or-test', LITELLM_MASTER_KEY: 'sk-litellm-test' };
  const load = (file: string) => {
    const result = loadConfigFile(repoPath(file), env);
    if (!result.ok) throw new Error(`${file}: ${result.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`);
    expect(result.warnings).toEqual([]);
    return result.config;
  };
  /** The sections a bundled config shares with the built-in document it copies. */
  const shared = (doc: Record<string, unknown>) => ({ models: doc.models, aliases: doc.aliases, routers: doc.routers });

  it('serve the same models, aliases and routers as the built-in configs they stand for in the image', () => {
    expect(shared(readYamlDocs('deploy/docker/demo.yaml')[0])).toEqual(shared(demoConfigDocument()));
    expect(shared(readYamlDocs('deploy/docker/openrouter.yaml')[0])).toEqual(shared(openrouterConfigDocument('unused')));
    // and they load: the same model names as the built-in configs
    const builtin = loadConfig({ env: {}, cwd: tmpdir() });
    expect(builtin.ok && [...builtin.config.models.keys()]).toEqual([...load('deploy/docker/demo.yaml').models.keys()]);
  });

  it('listen on 0.0.0.0:4000 (the port compose and the Dockerfile expose) and keep data under the /data volume', () => {
    for (const file of ['deploy/docker/demo.yaml', 'deploy/docker/openrouter.yaml', 'deploy/compose/switchyard-litellm.yaml']) {
      const config = load(file);
      expect(config.server).toMatchObject({ host: '0.0.0.0', port: 4000 });
      expect(config.store.dataDir).toBe('/data');
      expect(config.auth.explicitNone).toBe(true);
    }
    expect(load('deploy/docker/demo.yaml').store.kind).toBe('memory');
    expect(load('deploy/compose/switchyard-litellm.yaml').store.kind).toBe('redis');
  });

  it('include a LiteLLM proxy config that Switchyard reads as is, and a front config that targets it', () => {
    const litellm = load('deploy/compose/litellm/config.yaml');
    const front = load('deploy/compose/switchyard-litellm.yaml');
    expect([...front.models.keys()].sort()).toEqual([...litellm.models.keys()].sort());
    expect([...front.models.values()].flat().every((d) => d.provider.baseUrl === 'http://litellm:4000/v1')).toBe(true);
  });
});

describe('Dockerfile', () => {
  const stage = runtimeStage();
  const froms = [...dockerfile.matchAll(/^FROM (\S+)/gm)].map((m) => m[1]!);

  it('builds in stages from a pinned Node 20 slim image that satisfies the engines field', () => {
    expect(froms.length).toBeGreaterThanOrEqual(2);
    const engines = (JSON.parse(readRepoFile('package.json')) as { engines: { node: string } }).engines.node;
    const [major, minor] = engines.replace('>=', '').split('.').map(Number);
    for (const image of froms) {
      expect(isPinnedImage(image), image).toBe(true);
      const m = /^node:(\d+)\.(\d+)\.(\d+)-[a-z]+-slim$/.exec(image);
      expect(m, image).not.toBeNull();
      expect(Number(m![1])).toBe(20);
      expect(Number(m![2])).toBeGreaterThanOrEqual(minor!);
      expect(Number(m![1])).toBeGreaterThanOrEqual(major!);
    }
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
  });

  it('runs as a non-root user with /data as its volume, exposes 4000 and has an executable entry point', () => {
    expect(stage.filter((l) => l.startsWith('USER ')).pop()).toBe('USER node');
    expect(stage).toContain('VOLUME ["/data"]');
    expect(stage).toContain('EXPOSE 4000');
    expect(stage.some((l) => l.includes('SWITCHYARD_DATA_DIR=/data'))).toBe(true);
    expect(stage).toContain('STOPSIGNAL SIGTERM');
    const entry = JSON.parse(stage.find((l) => l.startsWith('ENTRYPOINT '))!.slice('ENTRYPOINT '.length)) as string[];
    expect(entry).toEqual(['/app/deploy/docker/start.sh']);
    expect(statSync(repoPath('deploy/docker/start.sh')).mode & 0o111).not.toBe(0);
  });

  it('copies the compiled output of every workspace into the runtime stage (`switchyard pipeline` needs pipeline/dist)', () => {
    const workspaces = (JSON.parse(readRepoFile('package.json')) as { workspaces: string[] }).workspaces;
    expect(workspaces).toEqual(expect.arrayContaining(['gateway', 'pipeline']));
    for (const ws of workspaces) expect(stage, ws).toContain(`COPY --from=build /app/${ws}/dist ./${ws}/dist`);
  });

  it('copies only what exists and is not excluded by .dockerignore', () => {
    const ignored = readRepoFile('.dockerignore').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
    for (const needed of ['package.json', 'package-lock.json', 'gateway/src', 'gateway/package.json', 'routing-rules', 'deploy/docker']) {
      expect(repoHas(needed), needed).toBe(true);
      expect(ignored.some((p) => p === needed || p === `${needed.split('/')[0]}`), `${needed} is ignored`).toBe(false);
    }
    for (const line of dockerfile.split('\n').filter((l) => /^COPY (?!--from)/.test(l))) {
      const source = line.split(/\s+/)[1]!;
      expect(repoHas(source), line).toBe(true);
    }
    expect(ignored).toEqual(expect.arrayContaining(['**/node_modules', '.env', '.git']));
  });
});

describe('the container entry point and HEALTHCHECK, run without Docker', () => {
  let running: Started | undefined;
  afterAll(async () => {
    await running?.stop('SIGKILL');
  });

  it('starts the demo config with no key, answers the HEALTHCHECK command and drains on SIGTERM', async () => {
    const port = await freePort();
    const data = mkdtempSync(join(tmpdir(), 'sy-image-data-'));
    const env = { PATH: process.env.PATH, SWITCHYARD_HOST: '127.0.0.1', SWITCHYARD_PORT: String(port), SWITCHYARD_DATA_DIR: data };
    running = await startListening(repoPath('deploy/docker/start.sh'), [], env);
    expect(running.url).toBe(`http://127.0.0.1:${port}`);
    expect(running.output()).toContain('deploy/docker/demo.yaml');

    const healthcheck = JSON.parse(/HEALTHCHECK[^\n]*\\\n\s*CMD (\[.*\])/.exec(dockerfile)![1]!) as string[];
    expect(healthcheck[0]).toBe('node');
    expect(healthcheck.join(' ')).toContain('/health/liveliness');
    const probe = spawnSync(process.execPath, healthcheck.slice(1), { env: { ...env }, encoding: 'utf8' });
    expect(probe.status).toBe(0);

    const answer = await fetch(`${running.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'demo-cheap', messages: [{ role: 'user', content: 'hello' }] }),
    });
    expect(answer.status).toBe(200);
    expect(await running.stop('SIGTERM')).toBe(0);
    // the probe fails once nothing listens
    expect(spawnSync(process.execPath, healthcheck.slice(1), { env: { ...env } }).status).toBe(1);
  });
});
