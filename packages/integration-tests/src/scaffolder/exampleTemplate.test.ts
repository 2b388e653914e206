import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  createBackendModule,
  SchedulerServiceTaskFunction,
} from '@backstage/backend-plugin-api';
import {
  createTemplateAction,
  scaffolderActionsExtensionPoint,
} from '@backstage/plugin-scaffolder-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { parseExternalSecret } from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import externalSecretsPlugin from '@external-secrets-backstage/backstage-plugin-external-secrets-backend';
import infisicalModule from '@external-secrets-backstage/backstage-plugin-external-secrets-backend-module-infisical';
import {
  InfisicalSimulator,
  InfisicalSimulatorServer,
  startInfisicalSimulatorServer,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-test-utils';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parse } from 'yaml';
import scaffolderModule from '@external-secrets-backstage/backstage-plugin-scaffolder-backend-module-external-secrets';

jest.setTimeout(120_000);

const TEMPLATE_DIR = resolve(
  __dirname,
  '../../../../examples/templates/service-with-infisical-secrets',
);
const PROJECT = 'archon-platform-pzxu';
/** Lives only in the simulated Infisical: must never surface anywhere. */
const CANARY = 'canary-template-VALUE-e41a-never-print';

type DryRunFile = { path: string; base64Content: string };
type DryRunResult = {
  log: { body: { message?: string; stepId?: string; status?: string } }[];
  directoryContents: DryRunFile[];
  output: Record<string, unknown>;
};

/** The template's skeleton as the dry-run API takes it: paths relative to template.yaml. */
function templateContents(): DryRunFile[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap(name => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? walk(path) : [path];
    });
  return walk(join(TEMPLATE_DIR, 'content')).map(path => ({
    path: relative(TEMPLATE_DIR, path),
    base64Content: readFileSync(path).toString('base64'),
  }));
}

function seedInfisical(): InfisicalSimulator {
  const simulator = new InfisicalSimulator();
  simulator.addProject({ slug: PROJECT, environments: ['prod'] });
  simulator.setSecret({
    project: PROJECT,
    environment: 'prod',
    key: 'MY_SECRET_NAME',
    value: CANARY,
  });
  simulator.setSecret({
    project: PROJECT,
    environment: 'prod',
    key: 'DB_PASSWORD',
    value: CANARY,
  });
  // A JSON value, read with remoteRef.property.
  simulator.setSecret({
    project: PROJECT,
    environment: 'prod',
    key: 'DB_CONFIG',
    value: JSON.stringify({ user: 'app', password: CANARY }),
  });
  // As in the demo: the same store syncs /payments/DB_PASSWORD for checkout-db.
  simulator.setSecret({
    project: PROJECT,
    environment: 'prod',
    path: '/payments',
    key: 'DB_PASSWORD',
    value: CANARY,
  });
  const identity = simulator.addUniversalAuthIdentity({
    identityId: 'eso-archon-platform',
    clientId: 'test-client-id',
    clientSecret: 'test-client-secret',
  });
  simulator.grant(identity, PROJECT);
  return simulator;
}

/** The seed's ClusterSecretStore, declared in app-config, on the simulator. */
function storeConfig(hostAPI: string) {
  return {
    stores: [
      {
        kind: 'ClusterSecretStore',
        metadata: { name: 'infisical-archon-platform' },
        spec: {
          provider: {
            infisical: {
              hostAPI,
              auth: {
                universalAuthCredentials: {
                  clientId: {
                    name: 'infisical-universal-auth',
                    key: 'clientId',
                    namespace: 'external-secrets',
                  },
                  clientSecret: {
                    name: 'infisical-universal-auth',
                    key: 'clientSecret',
                    namespace: 'external-secrets',
                  },
                },
              },
              secretsScope: {
                projectSlug: PROJECT,
                environmentSlug: 'prod',
                secretsPath: '/',
              },
            },
          },
        },
      },
    ],
    credentials: [
      {
        name: 'infisical-universal-auth',
        namespace: 'external-secrets',
        data: {
          clientId: 'test-client-id',
          clientSecret: 'test-client-secret',
        },
      },
    ],
  };
}

/**
 * The demo backend's `demo:publish:local` (packages/backend/src/demo), as the
 * template's last step names it; a dry run must skip it, never publish.
 */
const publish = jest.fn();
const demoPublishStub = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'demo-publish-stub',
  register(reg) {
    reg.registerInit({
      deps: { actions: scaffolderActionsExtensionPoint },
      async init({ actions }) {
        actions.addActions(
          createTemplateAction({
            id: 'demo:publish:local',
            schema: { input: { repoName: z => z.string() } },
            handler: publish,
          }),
        );
      },
    });
  },
});

describe('example template "Service with secrets from Infisical"', () => {
  let infisical: InfisicalSimulatorServer;
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  const template = parse(
    readFileSync(join(TEMPLATE_DIR, 'template.yaml'), 'utf8'),
  );

  beforeAll(async () => {
    infisical = await startInfisicalSimulatorServer({
      simulator: seedInfisical(),
    });
    const tasks = new Map<string, SchedulerServiceTaskFunction>();
    const scheduler = mockServices.scheduler.mock({
      async scheduleTask(definition) {
        tasks.set(definition.id, definition.fn);
      },
    });
    backend = await startTestBackend({
      features: [
        scaffolderPlugin,
        scaffolderModule,
        demoPublishStub,
        externalSecretsPlugin,
        infisicalModule,
        scheduler.factory,
        catalogServiceMock.factory(),
        mockServices.rootConfig.factory({
          data: { externalSecrets: storeConfig(`${infisical.url}/api`) },
        }),
      ],
    });
    // One reconcile cycle validates the store (Ready), as the scheduler would.
    await tasks.get('external-secrets-reconcile')!(
      new AbortController().signal,
    );
  });

  afterAll(async () => {
    await backend?.stop();
    await infisical?.close();
  });

  async function call(path: string, body?: object) {
    const res = await fetch(
      `http://localhost:${backend.server.port()}${path}`,
      body
        ? {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(body),
          }
        : undefined,
    );
    return { status: res.status, body: await res.json() };
  }

  function postDryRun(values: Record<string, unknown>) {
    return call('/api/scaffolder/v2/dry-run', {
      template,
      values,
      directoryContents: templateContents(),
    });
  }

  async function dryRun(values: Record<string, unknown>) {
    const res = await postDryRun(values);
    expect(res.status).toBe(200);
    const body = res.body as DryRunResult;
    const files = Object.fromEntries(
      body.directoryContents.map(f => [
        f.path,
        Buffer.from(f.base64Content, 'base64').toString('utf8'),
      ]),
    );
    const log = body.log.map(entry => entry.body.message ?? '').join('\n');
    return { body, files, log };
  }

  const VALUES = {
    name: 'my-service',
    owner: 'group:default/guests',
    namespace: 'my-namespace',
    secrets: {
      store: { kind: 'ClusterSecretStore', name: 'infisical-archon-platform' },
      data: [{ secretKey: 'api-key', remoteRef: { key: 'MY_SECRET_NAME' } }],
    },
    validateRemoteKeys: true,
  };

  it('should produce the component, its Deployment and a valid ExternalSecret in the seed shape', async () => {
    const { files, log } = await dryRun(VALUES);

    expect(Object.keys(files).sort()).toEqual([
      'catalog-info.yaml',
      'kubernetes/deployment.yaml',
      'kubernetes/externalsecret.yaml',
    ]);
    const parsed = parseExternalSecret(files['kubernetes/externalsecret.yaml']);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.issues).toEqual([]);
    const { metadata, spec } = parsed.value.externalSecret;
    expect(metadata).toEqual({
      name: 'my-service',
      namespace: 'my-namespace',
      labels: { 'backstage.io/kubernetes-id': 'my-service' },
    });
    expect(spec.secretStoreRef).toEqual({
      kind: 'ClusterSecretStore',
      name: 'infisical-archon-platform',
    });
    expect(spec.refreshInterval).toBe('1h');
    expect(spec.target.name).toBe('my-service');
    expect(spec.data.map(d => [d.secretKey, d.remoteRef.key])).toEqual([
      ['api-key', 'MY_SECRET_NAME'],
    ]);

    const deployment = parse(files['kubernetes/deployment.yaml']);
    expect(
      deployment.spec.template.spec.containers[0].envFrom[0].secretRef.name,
    ).toBe(spec.target.name);
    const entity = parse(files['catalog-info.yaml']);
    expect(entity.metadata.annotations).toEqual({
      'backstage.io/kubernetes-id': 'my-service',
      'backstage.io/kubernetes-namespace': 'my-namespace',
    });
    expect(log).toContain('All remote keys exist');
    expect(log).toContain(
      'Skipping because demo:publish:local does not support dry-run',
    );
    expect(publish).not.toHaveBeenCalled();
  });

  it('should fail the dry run naming a remote key Infisical does not have', async () => {
    const res = await postDryRun({
      ...VALUES,
      secrets: {
        ...VALUES.secrets,
        data: [{ secretKey: 'token', remoteRef: { key: 'NOT_IN_INFISICAL' } }],
      },
    });

    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain(
      'Remote key(s) "NOT_IN_INFISICAL" not found in ClusterSecretStore infisical-archon-platform',
    );
  });

  it('should accept a folder key the reconciler reads through the store (/payments/DB_PASSWORD)', async () => {
    const { log } = await dryRun({
      ...VALUES,
      secrets: {
        ...VALUES.secrets,
        data: [
          {
            secretKey: 'password',
            remoteRef: { key: '/payments/DB_PASSWORD' },
          },
        ],
      },
    });

    expect(log).toContain('All remote keys exist');
  });

  it('should refuse a folder key the reconciler cannot read (/payments/NOPE), with its cause and "did you mean" names', async () => {
    const values = (key: string) => ({
      ...VALUES,
      secrets: {
        ...VALUES.secrets,
        data: [{ secretKey: 'password', remoteRef: { key } }],
      },
    });
    const nope = await postDryRun(values('/payments/NOPE'));
    const typo = await postDryRun(values('/payments/DB_PASWORD'));

    expect(nope.status).toBe(400);
    expect(nope.body.error.message).toContain(
      'Remote key(s) "/payments/NOPE" not found in ClusterSecretStore infisical-archon-platform: "/payments/NOPE": KEY_NOT_FOUND',
    );
    expect(nope.body.error.message).toContain(
      'key "NOPE" does not exist in folder "/payments"',
    );
    expect(typo.status).toBe(400);
    // In key form: a bare DB_PASSWORD would read another secret (/DB_PASSWORD).
    expect(typo.body.error.message).toMatch(
      / Did you mean "\/payments\/DB_PASSWORD"\?$/,
    );
    expect(JSON.stringify([nope.body, typo.body])).not.toContain(CANARY);
  });

  it('should refuse a remoteRef.property the reconciler cannot resolve (value not JSON, property missing), naming key and property, never the value', async () => {
    // The reconciler fails such a key (NotJson, PropertyNotFound): the
    // action's check resolves the property the same way.
    const values = (property: string, key = 'DB_CONFIG') => ({
      ...VALUES,
      secrets: {
        ...VALUES.secrets,
        data: [{ secretKey: 'password', remoteRef: { key, property } }],
      },
    });
    const good = await dryRun(values('password'));
    const missing = await postDryRun(values('host'));
    const notJson = await postDryRun(values('password', 'MY_SECRET_NAME'));

    expect(good.log).toContain('All remote keys exist');
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toContain(
      '"DB_CONFIG" property "host": PropertyNotFound: property "host" does not exist in remote key "DB_CONFIG"',
    );
    expect(notJson.status).toBe(400);
    expect(notJson.body.error.message).toContain(
      '"MY_SECRET_NAME" property "password": NotJson: property "password" needs a JSON value, but remote key "MY_SECRET_NAME" is not JSON',
    );
    expect(
      JSON.stringify([good.body, missing.body, notJson.body]),
    ).not.toContain(CANARY);
  });

  it('should keep store values out of the files, the log and the keys response', async () => {
    const { body } = await dryRun(VALUES);
    const keys = await call(
      '/api/external-secrets/stores/-/ClusterSecretStore/-/infisical-archon-platform/keys',
    );

    expect(keys.status).toBe(200);
    expect(keys.body.keys).toEqual([
      '/payments/DB_PASSWORD',
      'DB_CONFIG',
      'DB_PASSWORD',
      'MY_SECRET_NAME',
    ]);
    expect(keys.body.complete).toBe(true);
    expect(JSON.stringify(body)).not.toContain(CANARY);
    expect(
      body.directoryContents.some(f =>
        Buffer.from(f.base64Content, 'base64')
          .toString('utf8')
          .includes(CANARY),
      ),
    ).toBe(false);
    expect(JSON.stringify(keys.body)).not.toContain(CANARY);
  });
});
