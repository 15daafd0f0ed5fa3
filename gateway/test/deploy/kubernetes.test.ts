import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Deployment, StatefulSet } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { Namespace, Secret, Service } from 'kubernetes-models/v1';
import { loadConfigFile } from '../../src/config/load-config.js';
import { redisAvailable, startRedisServer, type RedisServer } from '../support/redis-server.js';
import { commandRuns, toolRuns } from '../support/required-tool.js';
import { isPinnedImage, readRepoFile, readYamlDocs, repoHas, repoPath, ROOT, startListening, type Started } from './repo-files.js';

// The manifests are validated against the Kubernetes OpenAPI schemas that the kubernetes-models package ships
// (no cluster or kubectl here), cross-checked with each other and with the gateway, whose real probes they name.

const BASE = 'deploy/kubernetes/base';
const OVERLAY = 'deploy/kubernetes/overlays/example';
const VALIDATORS: Record<string, (o: any) => { validate(): void }> = {
  'apps/v1/Deployment': (o) => new Deployment(o),
  'apps/v1/StatefulSet': (o) => new StatefulSet(o),
  'autoscaling/v2/HorizontalPodAutoscaler': (o) => new HorizontalPodAutoscaler(o),
  'policy/v1/PodDisruptionBudget': (o) => new PodDisruptionBudget(o),
  'v1/Service': (o) => new Service(o),
  'v1/Secret': (o) => new Secret(o),
  'v1/Namespace': (o) => new Namespace(o),
};

const base = readYamlDocs(BASE, 'kustomization.yaml')[0];
const overlay = readYamlDocs(OVERLAY, 'kustomization.yaml')[0];
const manifests = [
  ...base.resources.flatMap((f: string) => readYamlDocs(BASE, f)),
  ...overlay.resources.filter((f: string) => !f.startsWith('..')).flatMap((f: string) => readYamlDocs(OVERLAY, f)),
];
const find = (kind: string, name: string) => manifests.find((m) => m.kind === kind && m.metadata.name === name);
const deployment = find('Deployment', 'switchyard');
const pod = deployment.spec.template.spec;
const container = pod.containers[0];
const secret = find('Secret', 'switchyard-secrets');

describe('Kubernetes manifests', () => {
  it('are valid objects of their kinds (Kubernetes OpenAPI schema), every listed file present', () => {
    for (const f of base.resources) expect(repoHas(BASE, f), f).toBe(true);
    for (const f of base.configMapGenerator.flatMap((g: any) => g.files)) expect(repoHas(BASE, f), f).toBe(true);
    for (const f of overlay.resources) expect(repoHas(OVERLAY, f), f).toBe(true);
    expect(manifests.map((m) => m.kind).sort()).toEqual(['Deployment', 'HorizontalPodAutoscaler', 'Namespace', 'PodDisruptionBudget', 'Secret', 'Service', 'Service', 'StatefulSet']);
    for (const m of manifests) {
      const make = VALIDATORS[`${m.apiVersion}/${m.kind}`];
      expect(make, `${m.apiVersion} ${m.kind}`).toBeDefined();
      expect(() => make!(m).validate(), `${m.kind}/${m.metadata.name}`).not.toThrow();
    }
  });

  it('probe readiness on /health/readiness and liveness on /health/liveliness of the container port the config listens on', () => {
    const config = loadConfigFile(repoPath(BASE, 'switchyard.yaml'), secret.stringData);
    if (!config.ok) throw new Error(JSON.stringify(config.errors));
    const port = container.ports.find((p: any) => p.name === 'http');
    expect(port.containerPort).toBe(config.config.server.port);
    expect(config.config.server.host).toBe('0.0.0.0');
    expect(config.config.auth.mode).toBe('master_key');
    expect(container.readinessProbe.httpGet).toEqual({ path: '/health/readiness', port: 'http' });
    expect(container.livenessProbe.httpGet).toEqual({ path: '/health/liveliness', port: 'http' });
    const service = find('Service', 'switchyard');
    expect(service.spec.ports[0].targetPort).toBe('http');
    expect(service.spec.selector).toEqual(deployment.spec.selector.matchLabels);
  });

  it('run non-root on a read-only root filesystem, with the data dir and /tmp on volumes, resources set', () => {
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } });
    expect(container.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    const config = loadConfigFile(repoPath(BASE, 'switchyard.yaml'), secret.stringData);
    if (!config.ok) throw new Error('config');
    const mounts = container.volumeMounts.map((m: any) => m.mountPath);
    expect(mounts).toEqual(expect.arrayContaining([config.config.store.dataDir, '/tmp', '/etc/switchyard']));
    const volumes = new Map(pod.volumes.map((v: any) => [v.name, v]));
    for (const m of container.volumeMounts) expect(volumes.has(m.name), m.name).toBe(true);
    expect((volumes.get('config') as any).configMap.name).toBe(base.configMapGenerator[0].name);
    const configEnv = container.env.find((e: any) => e.name === 'SWITCHYARD_CONFIG').value;
    expect(configEnv).toBe(`/etc/switchyard/${base.configMapGenerator[0].files[0]}`);
    expect(container.resources.requests).toMatchObject({ cpu: expect.any(String), memory: expect.any(String) });
    expect(container.resources.limits.memory).toBeDefined();
    // the pod gets longer to stop than the gateway's drain plus the preStop pause
    const drain = Number(container.env.find((e: any) => e.name === 'SWITCHYARD_DRAIN_TIMEOUT_S').value);
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(drain + Number(container.lifecycle.preStop.exec.command[1]));
  });

  it('keep replicas available and scale the Deployment: PDB and HPA point at its pods', () => {
    const pdb = find('PodDisruptionBudget', 'switchyard');
    expect(pdb.spec.selector.matchLabels).toEqual(deployment.spec.selector.matchLabels);
    const hpa = find('HorizontalPodAutoscaler', 'switchyard');
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'switchyard' });
    expect(hpa.spec.minReplicas).toBeGreaterThan(pdb.spec.maxUnavailable);
    expect(deployment.spec.strategy.rollingUpdate.maxUnavailable).toBe(0);
  });

  it('take secrets from the Secret the overlay provides, and the Redis URL from the bundled Redis Service', () => {
    expect(container.envFrom[0].secretRef.name).toBe(secret.metadata.name);
    const config = loadConfigFile(repoPath(BASE, 'switchyard.yaml'), secret.stringData);
    if (!config.ok) throw new Error('config');
    expect(config.config.store).toMatchObject({ kind: 'redis', url: 'redis://switchyard-redis:6379' });
    const redisService = find('Service', 'switchyard-redis');
    expect(redisService.spec.ports[0].port).toBe(6379);
    expect(overlay.images[0].name).toBe(container.image.split(':')[0]);
  });

  it('run Redis with AOF on a persistent volume, pinned images everywhere', () => {
    const redis = find('StatefulSet', 'switchyard-redis');
    const c = redis.spec.template.spec.containers[0];
    expect(c.args.join(' ')).toContain('--appendonly yes');
    expect(c.volumeMounts[0].mountPath).toBe('/data');
    expect(redis.spec.volumeClaimTemplates[0].metadata.name).toBe(c.volumeMounts[0].name);
    for (const m of manifests.filter((x) => x.spec?.template)) {
      for (const k of m.spec.template.spec.containers) expect(isPinnedImage(k.image), k.image).toBe(true);
    }
  });

  it('ship a ConfigMap config that `switchyard config check` accepts', () => {
    const res = spawnSync(process.execPath, [join(ROOT, 'gateway/dist/cli/main.js'), 'config', 'check', repoPath(BASE, 'switchyard.yaml')], {
      env: { PATH: process.env.PATH, ...secret.stringData },
      encoding: 'utf8',
    });
    expect(res.stderr + res.stdout).toContain('OK');
    expect(res.status).toBe(0);
  });
});

// Runs only with a real redis-server; redisAvailable() is always true under CI (a missing binary then fails), so
// this skips only on a developer machine without Redis, with a warning.
describe.runIf(redisAvailable())('the Kubernetes config, served for real', () => {
  let redis: RedisServer;
  let gateway: Started | undefined;
  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    await gateway?.stop('SIGKILL');
    await redis?.stop();
  });

  it('answers both probes of the Deployment with 200 when Redis is up', async () => {
    const env = { PATH: process.env.PATH, ...secret.stringData, SWITCHYARD_REDIS_URL: redis.url };
    const dir = mkdtempSync(join(tmpdir(), 'sy-k8s-'));
    // the same file with the data dir moved off /data, which the test machine does not have
    const config = join(dir, 'switchyard.yaml');
    writeFileSync(config, readFileSync(repoPath(BASE, 'switchyard.yaml'), 'utf8').replace('data_dir: /data', `data_dir: ${join(dir, 'data')}`));
    gateway = await startListening(process.execPath, [join(ROOT, 'gateway/dist/cli/main.js'), 'serve', '--config', config, '--host', '127.0.0.1', '--port', '0'], env);
    for (const probe of [container.readinessProbe, container.livenessProbe, container.startupProbe]) {
      const res = await fetch(`${gateway.url}${probe.httpGet.path}`);
      expect(res.status, probe.httpGet.path).toBe(200);
    }
  });
});

describe('deploy/systemd/switchyard.service', () => {
  const unit = readRepoFile('deploy/systemd/switchyard.service');
  const directive = (name: string) => [...unit.matchAll(new RegExp(`^${name}=(.*)$`, 'gm'))].map((m) => m[1]!);
  // systemd-analyze comes with systemd (present on the Debian CI machine): skipped only on a developer machine without it
  const haveSystemd = toolRuns(commandRuns('systemd-analyze', ['--version']), 'systemd-analyze is not on the PATH: the systemd unit check is SKIPPED (apt-get install systemd to run it)');
  /** The unit with this machine's node binary (systemd-analyze checks that ExecStart's program exists). */
  const localUnit = () => {
    const dir = mkdtempSync(join(tmpdir(), 'sy-unit-'));
    const file = join(dir, 'switchyard.service');
    copyFileSync(repoPath('deploy/systemd/switchyard.service'), file);
    writeFileSync(file, unit.replace('ExecStart=/usr/bin/node ', `ExecStart=${process.execPath} `));
    return file;
  };

  // Skipped only on a developer machine without systemd-analyze (see haveSystemd); under CI it always runs.
  it.runIf(haveSystemd)('passes `systemd-analyze verify` and rates as well hardened by `systemd-analyze security`', () => {
    const file = localUnit();
    const verify = spawnSync('systemd-analyze', ['verify', file], { encoding: 'utf8' });
    expect(verify.stderr).toBe('');
    expect(verify.status).toBe(0);
    const security = spawnSync('systemd-analyze', ['security', '--offline=true', '--no-pager', file], { encoding: 'utf8' });
    const exposure = Number(/Overall exposure level for .*: ([\d.]+)/.exec(security.stdout)?.[1]);
    expect(exposure).toBeLessThanOrEqual(2);
  });

  it('declares the hardening, the drain and the reload it documents', () => {
    for (const [name, value] of Object.entries({ NoNewPrivileges: 'yes', ProtectSystem: 'strict', ProtectHome: 'yes', PrivateTmp: 'yes', DynamicUser: 'yes', KillSignal: 'SIGTERM', StateDirectory: 'switchyard' })) {
      expect(directive(name), name).toEqual([value]);
    }
    expect(directive('ExecReload')).toEqual(['/bin/kill -HUP $MAINPID']);
    const drain = Number(/SWITCHYARD_DRAIN_TIMEOUT_S=(\d+)/.exec(unit)![1]);
    expect(Number(directive('TimeoutStopSec')[0])).toBeGreaterThan(drain);
    expect(directive('WorkingDirectory')).toEqual(['/var/lib/switchyard']);
  });

  it('starts the gateway with its ExecStart command line (paths mapped to this checkout)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sy-unit-run-'));
    const config = join(dir, 'switchyard.yaml');
    writeFileSync(config, readRepoFile('deploy/examples/switchyard.example.yaml'));
    const [, ...args] = directive('ExecStart')[0]!.replace('/opt/switchyard', ROOT).replace('/etc/switchyard/switchyard.yaml', config).split(' ');
    const env = { PATH: process.env.PATH, SWITCHYARD_MASTER_KEY: 'sk-unit-test-master-key', SWITCHYARD_DRAIN_TIMEOUT_S: '5' };
    const started = await startListening(process.execPath, [...args, '--port', '0'], env, dir);
    try {
      expect((await fetch(`${started.url}/health/liveliness`)).status).toBe(200);
      expect(await started.stop('SIGTERM')).toBe(0);
    } finally {
      await started.stop('SIGKILL');
    }
  });
});
