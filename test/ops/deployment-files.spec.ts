import { describe, expect, it } from '@jest/globals';
import { DCLinter } from 'dclint';
import { DockerfileParser } from 'dockerfile-ast';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { Namespace, ConfigMap, Secret, Service } from 'kubernetes-models/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { ScaledObject } from '@kubernetes-models/keda/keda.sh/v1alpha1';
import { evaluatorDurable, topology } from '#contracts';
import { APP_LOADERS, judgeEnv, type AppName } from './app-env.js';
import { interpolate, loadCompose, readDotenv, serviceEnv } from './compose.js';

/**
 * The deployment files, checked offline (no container engine, no cluster here): compose files against the Compose
 * schema and dclint's rules, manifests against the Kubernetes (and KEDA) schemas of kubernetes-models, the
 * Dockerfile's shape, and every service's environment parsed by its app's own configuration loader.
 */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const INFRA = join(ROOT, 'infra');
const APPS = Object.keys(APP_LOADERS) as AppName[];

const COMPOSE_FILES = {
  platform: { file: join(INFRA, 'docker-compose.yml'), env: join(INFRA, '.env.example') },
  validator: { file: join(INFRA, 'validator/docker-compose.yml'), env: join(INFRA, 'validator/.env.example') },
};

/** Ordering rules are style; everything else (the schema, security rules) must pass. */
const lint = (files: string[]) =>
  new DCLinter({
    rules: {
      'require-quotes-in-ports': [2, { quoteType: 'double' }],
      'service-keys-order': 0,
      'services-alphabetical-order': 0,
      'top-level-properties-order': 0,
      'service-dependencies-alphabetical-order': 0,
    },
    quiet: false,
    debug: false,
    exclude: [],
  })
    .lintFiles(files, false)
    .flatMap((r: { filePath: string; messages: { line: number; rule: string; message: string }[] }) =>
      r.messages.map((m) => `${r.filePath}:${m.line} ${m.rule}: ${m.message}`),
    );

const expectEnvFits = (where: string, app: AppName, env: Record<string, string>) => {
  const verdict = judgeEnv(app, env);
  expect({ where, ...verdict }).toEqual({ where, unknown: [], problems: [] });
};

describe('env judge', () => {
  it('catches an unknown variable, a missing required one and a bad type, so the checks below can fail', () => {
    expect(judgeEnv('scheduler', { NETUID: '7', NATS_URL: 'nats://n:4222' })).toEqual({ unknown: [], problems: [] });
    expect(judgeEnv('scheduler', { NETUID: '7', SCHEDULER_TICKS_MS: '5' }).unknown).toEqual(['SCHEDULER_TICKS_MS']);
    expect(judgeEnv('scheduler', {}).problems).toEqual([expect.stringMatching(/^NETUID: is required/)]);
    expect(judgeEnv('api', { API_PORT: 'http' }).problems).toEqual([expect.stringMatching(/^API_PORT: must be a decimal integer/)]);
    // A setting of another app is unknown to this one, and variables read through a part (S3, sandbox) are known.
    expect(judgeEnv('projector', { NETUID: '7' }).unknown).toEqual(['NETUID']);
    expect(judgeEnv('evaluator', { OBJECT_STORE: 'fs', AGENT_SANDBOX: 'process', HF_TOKEN: 'hf_x', EVALUATOR_HOTKEY_URI: '//Alice' })).toEqual({
      unknown: [],
      problems: [],
    });
    expect(judgeEnv('evaluator', { OBJECT_STORE: 's3' }).problems).toContain('S3_BUCKET: required with OBJECT_STORE=s3');
  });
});

describe('compose files', () => {
  it('are valid Compose files with no lint errors (the linter rejects a misspelt key)', () => {
    expect(lint(Object.values(COMPOSE_FILES).map((c) => c.file))).toEqual([]);
    const broken = join(mkdtempSync(join(tmpdir(), 'compose-')), 'docker-compose.yml');
    writeFileSync(
      broken,
      readFileSync(COMPOSE_FILES.platform.file, 'utf8').replace(
        '    environment:\n      <<: [*app-env, *health-env]\n      DATABASE_URL',
        '    enviroment:\n      <<: [*app-env, *health-env]\n      DATABASE_URL',
      ),
    );
    expect(lint([broken]).join('\n')).toMatch(/invalid-schema/);
  });

  it('run every app, each service environment loading with its app own loader', () => {
    for (const [name, { file, env }] of Object.entries(COMPOSE_FILES)) {
      const compose = loadCompose(file, readDotenv(env));
      const apps = Object.entries(compose.services).filter(([, s]) => s.labels?.['org.kinitro.app']);
      if (name === 'platform') expect(apps.map(([, s]) => s.labels!['org.kinitro.app']).sort()).toEqual([...APPS].sort());
      else expect(apps.map(([, s]) => s.labels!['org.kinitro.app']).sort()).toEqual(['evaluator', 'validator']);
      for (const [service, spec] of apps) expectEnvFits(`${name}/${service}`, spec.labels!['org.kinitro.app'] as AppName, serviceEnv(spec));
    }
  });

  it('refuse to start without the variables only the operator can give', () => {
    const text = readFileSync(COMPOSE_FILES.platform.file, 'utf8');
    expect(() => interpolate(text, {})).toThrow(/required variable (ADMIN_API_KEY_SHA256|NETUID)/);
  });

  it('match the apps defaults where they can: Postgres user and database, R3 streams on a 3-node cluster', () => {
    const compose = loadCompose(COMPOSE_FILES.platform.file, readDotenv(COMPOSE_FILES.platform.env));
    const pg = compose.services.postgres!.environment!;
    const url = new URL(serviceEnv(compose.services.projector!).DATABASE_URL!);
    expect([url.username, url.password, url.pathname.slice(1), url.hostname]).toEqual([pg.POSTGRES_USER, pg.POSTGRES_PASSWORD, pg.POSTGRES_DB, 'postgres']);
    expect(new URL(judgeDefault('DATABASE_URL')).pathname).toBe(url.pathname);
    expect(Object.keys(compose.services).filter((s) => s.startsWith('nats-'))).toHaveLength(3);
    for (const [, s] of Object.entries(compose.services).filter(([, s]) => s.labels?.['org.kinitro.app'])) {
      expect(serviceEnv(s).KINITRO_STREAM_REPLICAS).toBe('3');
    }
    // Durability (docs/operations.md): the single node fsyncs every write, the R3 cluster within a second, and the
    // Postgres the projector writes to keeps fsync and full-page writes on.
    expect(readFileSync(join(INFRA, 'nats/nats-server.conf'), 'utf8')).toMatch(/^\s*sync_interval: always$/m);
    expect(readFileSync(join(INFRA, 'nats/nats-cluster-node.conf'), 'utf8')).toMatch(/^\s*sync_interval: "1s"$/m);
    const postgresArgs = (compose.services.postgres as { command: string[] }).command.join(' ');
    expect(postgresArgs).toContain('fsync=on');
    expect(postgresArgs).toContain('full_page_writes=on');
    const routes = readFileSync(join(INFRA, 'nats/nats-cluster-node.conf'), 'utf8').match(/nats-route:\/\/([a-z0-9-]+):6222/g)!;
    expect(routes.map((r) => r.slice('nats-route://'.length, -':6222'.length)).sort()).toEqual(['nats-1', 'nats-2', 'nats-3']);
  });

  it('build each app from an entry point that exists, and point every healthcheck at the port the app serves', () => {
    const dockerfile = DockerfileParser.parse(readFileSync(join(INFRA, 'docker/app.Dockerfile'), 'utf8'));
    const targets = dockerfile.getFROMs().map((f) => f.getBuildStage());
    for (const { file, env } of Object.values(COMPOSE_FILES)) {
      for (const [, s] of Object.entries(loadCompose(file, readDotenv(env)).services).filter(([, s]) => s.labels?.['org.kinitro.app'])) {
        const app = s.labels!['org.kinitro.app']!;
        expect(resolve(dirname(file), s.build!.context!)).toBe(ROOT);
        expect(existsSync(join(ROOT, s.build!.dockerfile!))).toBe(true);
        if (s.build!.target) expect(targets).toContain(s.build!.target);
        else expect(s.build!.args!.APP).toBe(app);
        expect(existsSync(join(ROOT, 'apps', app, 'src/main.ts'))).toBe(true);
        const env = serviceEnv(s);
        const port = app === 'api' ? env.API_PORT : env.HEALTH_PORT;
        expect(s.healthcheck!.test!.join(' ')).toContain(`127.0.0.1:${port}/${app === 'api' ? 'api/v1/health/ready' : 'health/ready'}`);
      }
    }
  });
});

/** The shared schema's default of a variable. */
const judgeDefault = (variable: 'DATABASE_URL'): string => (APP_LOADERS.projector({}) as unknown as Record<string, string>)[variable]!;

describe('Dockerfiles', () => {
  const parse = (name: string) => DockerfileParser.parse(readFileSync(join(INFRA, 'docker', name), 'utf8'));
  const stageOf = (d: ReturnType<typeof parse>, stage: string) => {
    const froms = d.getFROMs();
    const i = froms.findIndex((f) => f.getBuildStage() === stage);
    const start = froms[i]!.getRange().start.line;
    const end = froms[i + 1]?.getRange().start.line ?? Number.POSITIVE_INFINITY;
    return d.getInstructions().filter((x) => x.getRange().start.line >= start && x.getRange().start.line < end);
  };

  it('build in stages, install production dependencies only with npm ci --omit=dev, and run as a user other than root', () => {
    const d = parse('app.Dockerfile');
    expect(d.getFROMs().length).toBeGreaterThanOrEqual(3);
    const runs = d
      .getInstructions()
      .filter((i) => i.getKeyword() === 'RUN')
      .map((i) => i.getArgumentsContent() ?? '');
    expect(runs.some((r) => /npm ci --omit=dev/.test(r))).toBe(true);
    for (const stage of ['app', 'evaluator']) {
      const users = stageOf(d, stage)
        .filter((i) => i.getKeyword() === 'USER')
        .map((i) => i.getArgumentsContent());
      expect(users.length).toBeGreaterThan(0);
      expect(users.at(-1)).not.toMatch(/^(root|0)(:|$)/);
    }
    // What the runtime stage copies from the build context exists.
    const copies = d.getInstructions().filter((i) => i.getKeyword() === 'COPY') as ReturnType<typeof d.getCOPYs>;
    for (const copy of copies.filter((c) => !c.getFlags().some((f) => f.getName() === 'from'))) {
      const sources = copy
        .getArguments()
        .slice(0, -1)
        .map((a) => a.getValue());
      for (const source of sources) expect({ source, exists: existsSync(join(ROOT, source)) }).toEqual({ source, exists: true });
    }
    const agent = parse('agent-runtime.Dockerfile');
    expect(
      agent
        .getInstructions()
        .filter((i) => i.getKeyword() === 'USER')
        .at(-1)!
        .getArgumentsContent(),
    ).toBe('65534:65534');
    expect(
      agent
        .getInstructions()
        .find((i) => i.getKeyword() === 'RUN')!
        .getArgumentsContent(),
    ).toMatch(/python3-grpcio python3-protobuf python3-numpy/);
  });
});

describe('Kubernetes manifests', () => {
  const DIR = join(INFRA, 'k8s');
  const MODELS: Record<string, new (data: any) => { validate(): void }> = { Namespace, ConfigMap, Secret, Service, Deployment, ScaledObject };
  const documents = readdirSync(DIR)
    .filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml' && f !== 'nats-values.yaml')
    .flatMap((file) => parseAllDocuments(readFileSync(join(DIR, file), 'utf8')).map((doc) => ({ file, object: doc.toJS() })));
  const ofKind = (kind: string) => documents.filter((d) => d.object.kind === kind).map((d) => d.object);

  it('are valid against the Kubernetes and KEDA schemas (a field of the wrong type is refused)', () => {
    expect(documents.length).toBeGreaterThan(8);
    for (const { file, object } of documents) {
      const Model = MODELS[object.kind];
      expect({ file, kind: object.kind, known: Model !== undefined }).toEqual({ file, kind: object.kind, known: true });
      expect(() => new Model!(object).validate()).not.toThrow();
    }
    const deployment = structuredClone(ofKind('Deployment')[0]);
    deployment.spec.replicas = 'one';
    expect(() => new Deployment(deployment).validate()).toThrow();
    const kustomized = (parseAllDocuments(readFileSync(join(DIR, 'kustomization.yaml'), 'utf8'))[0]!.toJS() as { resources: string[] }).resources;
    expect(kustomized.sort()).toEqual([...new Set(documents.map((d) => d.file))].filter((f) => f !== 'secret.example.yaml').sort());
  });

  it('run every app with liveness and readiness probes on the ports the apps serve their health on', () => {
    const config = ofKind('ConfigMap').find((c) => c.metadata.name === 'kinitro-config')!.data as Record<string, string>;
    const secrets = ofKind('Secret')[0]!.stringData as Record<string, string>;
    const deployments = ofKind('Deployment');
    expect(deployments.map((d) => d.metadata.name).sort()).toEqual([...APPS].sort());
    for (const d of deployments) {
      const app = d.metadata.name as AppName;
      const [container] = d.spec.template.spec.containers;
      expect(container.envFrom).toEqual([{ configMapRef: { name: 'kinitro-config' } }]);
      const env: Record<string, string> = { ...config };
      for (const e of container.env ?? []) {
        if (e.value !== undefined) env[e.name] = e.value;
        else if (e.valueFrom?.secretKeyRef) env[e.name] = secrets[e.valueFrom.secretKeyRef.key]!;
        else if (e.valueFrom?.fieldRef) env[e.name] = `${app}-7d9c5-x2x9q`;
      }
      expectEnvFits(`k8s/${app}`, app, env);
      const port = app === 'api' ? Number(env.API_PORT) : Number(env.HEALTH_PORT);
      const named = Object.fromEntries(container.ports.map((p: { name: string; containerPort: number }) => [p.name, p.containerPort]));
      const prefix = app === 'api' ? '/api/v1' : '';
      for (const [probe, path] of [
        ['livenessProbe', `${prefix}/health/live`],
        ['readinessProbe', `${prefix}/health/ready`],
      ] as const) {
        expect({ app, probe, path: container[probe].httpGet.path, port: named[container[probe].httpGet.port] }).toEqual({ app, probe, path, port });
      }
      expect(d.spec.template.metadata.annotations['prometheus.io/port']).toBe(String(port));
      expect(d.spec.template.spec.securityContext.runAsNonRoot).toBe(true);
    }
  });

  it('keep the projector and the scheduler single-instance, stopping the old pod before the new one starts', () => {
    for (const name of ['projector', 'scheduler']) {
      const d = ofKind('Deployment').find((x) => x.metadata.name === name)!;
      expect({ name, replicas: d.spec.replicas, strategy: d.spec.strategy?.type }).toEqual({ name, replicas: 1, strategy: 'Recreate' });
    }
  });

  it('scale evaluators with KEDA on the lag of their durable in the work stream', () => {
    const [scaled] = ofKind('ScaledObject');
    const config = ofKind('ConfigMap')[0]!.data as Record<string, string>;
    expect(scaled.spec.scaleTargetRef.name).toBe('evaluator');
    const [trigger] = scaled.spec.triggers;
    expect(trigger.type).toBe('nats-jetstream');
    expect(trigger.metadata).toMatchObject({ stream: topology(config.KINITRO_NAMESPACE).workStream, consumer: evaluatorDurable('<VALIDATOR_SS58>') });
    expect(Number(trigger.metadata.lagThreshold)).toBeGreaterThan(0);
  });

  it('give the NATS chart a 3-node JetStream cluster whose file store fsyncs within a second', () => {
    const values = parseAllDocuments(readFileSync(join(DIR, 'nats-values.yaml'), 'utf8'))[0]!.toJS();
    expect(values.config.cluster).toEqual({ enabled: true, replicas: 3 });
    expect(values.config.jetstream.enabled).toBe(true);
    expect(values.config.jetstream.merge.sync_interval).toBe('1s');
    const config = ofKind('ConfigMap')[0]!.data as Record<string, string>;
    expect(config.KINITRO_STREAM_REPLICAS).toBe(String(values.config.cluster.replicas));
  });
});
