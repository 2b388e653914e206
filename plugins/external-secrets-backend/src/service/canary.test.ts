import { mockServices, TestDatabaseId } from '@backstage/backend-test-utils';
import {
  coreServices,
  createBackendModule,
  createServiceFactory,
  LoggerService,
  UrlReaderService,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { JsonObject } from '@backstage/types';
import { Knex } from 'knex';
import { inspect } from 'node:util';
import request from 'supertest';
import { SecretStore } from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import {
  externalSecretsProvidersExtensionPoint,
  ProviderError,
  SecretsProvider,
  SecretValue,
  StoreContext,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-node';
import {
  KubernetesSimulator,
  startKubernetesSimulator,
  StoredObject,
} from '../testUtils/kubernetes';
import {
  ReconcilerTestBackend,
  startReconcilerTestBackend,
} from '../__testUtils__/startReconcilerTestBackend';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { registerGlobalPrometheusExporter } from '../metrics/__testUtils__/globalPrometheusExporter';

jest.setTimeout(60_000);

/** The secret value: in the provider's data, so in every Secret we write. */
const CANARY = 'canary-value-93be1f-do-not-leak';
/** A credential from app-config (`externalSecrets.credentials`). */
const CREDENTIAL_CANARY = 'canary-credential-5ac0d2-do-not-leak';
const MANIFEST_URL = 'https://git.example.com/canary/externalsecret.yaml';
const ENTITY_PATH =
  '/api/external-secrets/entities/component/default/canary-service';

const exporter = registerGlobalPrometheusExporter();
const databases = createTestDatabases();

const CANARY_ENTITY: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'canary-service',
    namespace: 'default',
    annotations: {
      'backstage.io/kubernetes-id': 'canary',
      'backstage.io/kubernetes-namespace': 'team-a',
      'external-secrets.io/manifests': MANIFEST_URL,
      'backstage.io/managed-by-location':
        'url:https://git.example.com/canary/catalog-info.yaml',
    },
  },
  spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
};

const PROVIDER_DATA = [
  { key: 'DB_PASSWORD', value: CANARY },
  { key: 'JSON_DOC', value: JSON.stringify({ user: 'app', password: CANARY }) },
  { key: 'NOT_JSON', value: `${CANARY} is not JSON` },
  { key: 'NOT_BASE64', value: `${CANARY}!*` },
];

function externalSecret(
  name: string,
  spec: Record<string, unknown>,
): StoredObject {
  return {
    apiVersion: 'external-secrets.io/v1',
    kind: 'ExternalSecret',
    metadata: {
      name,
      namespace: 'team-a',
      labels: { 'backstage.io/kubernetes-id': 'canary' },
    },
    spec: {
      refreshInterval: '1h',
      secretStoreRef: { kind: 'ClusterSecretStore', name: 'canary-store' },
      target: { name },
      ...spec,
    },
  };
}

/** Synced: plain keys, a JSON property and a template that embeds the value. */
const SYNCED = externalSecret('app-secrets', {
  target: {
    name: 'app-secrets',
    template: {
      data: { dsn: 'postgres://app:{{ .password }}@db:5432/app' },
    },
  },
  data: [
    { secretKey: 'db-password', remoteRef: { key: 'DB_PASSWORD' } },
    {
      secretKey: 'json-password',
      remoteRef: { key: 'JSON_DOC', property: 'password' },
    },
  ],
  dataFrom: [{ extract: { key: 'JSON_DOC' } }],
});

/** Failing keys whose errors sit right next to the value: parsing, decoding, templating, a missing key. */
const FAILING = externalSecret('broken-secrets', {
  target: {
    name: 'broken-secrets',
    template: {
      data: {
        decoded: '{{ .password | b64dec }}',
        field: '{{ (fromJson .password).x }}',
      },
    },
  },
  data: [
    { secretKey: 'password', remoteRef: { key: 'DB_PASSWORD' } },
    {
      secretKey: 'not-json',
      remoteRef: { key: 'NOT_JSON', property: 'password' },
    },
    {
      secretKey: 'not-base64',
      remoteRef: { key: 'NOT_BASE64', decodingStrategy: 'Base64' },
    },
    { secretKey: 'missing', remoteRef: { key: 'NO_SUCH_KEY' } },
  ],
});

/** A template that fails on its own, with a value as input. */
const BAD_TEMPLATE = externalSecret('bad-template', {
  target: {
    name: 'bad-template',
    template: { data: { decoded: '{{ .password | b64dec }}' } },
  },
  data: [{ secretKey: 'password', remoteRef: { key: 'DB_PASSWORD' } }],
});

/**
 * A provider that authenticates with a credential, as Infisical does: it
 * reads `auth.clientSecret` (resolved from externalSecrets.credentials) and
 * serves its data only when the credential is the expected one, so a synced
 * ExternalSecret proves the credential travelled through the backend.
 */
const credentialReads: string[] = [];
const credentialedProvider: SecretsProvider = {
  name: 'credentialed',
  capabilities: {
    readScope: false,
    versions: false,
    find: { path: false, nameRegexp: false, tags: false },
  },
  validateStoreSpec: () => [],
  endpoints: () => [],
  async validateStore(store, context) {
    await authenticate(store, context);
    return { ready: true, reason: 'Valid', message: 'store validated' };
  },
  async newClient(store, context) {
    await authenticate(store, context);
    return {
      async getSecret({ key }) {
        if (key !== 'CREDENTIALED_TOKEN') {
          throw new ProviderError('KEY_NOT_FOUND', `key ${key} not found`, {
            provider: 'credentialed',
            store: store.metadata.name,
          });
        }
        return { value: SecretValue.fromString(CANARY) };
      },
      async findSecrets() {
        return new Map();
      },
      async close() {},
    };
  },
};

async function authenticate(store: SecretStore, context: StoreContext) {
  const spec = store.spec.provider.credentialed as {
    auth: { clientSecret: { name: string; namespace: string; key: string } };
  };
  const credential = await context.readSecretKey(spec.auth.clientSecret);
  credentialReads.push(store.metadata.name);
  if (!credential.equals(SecretValue.fromString(CREDENTIAL_CANARY))) {
    throw new ProviderError('AUTH_FAILED', 'client secret rejected', {
      provider: 'credentialed',
      store: store.metadata.name,
    });
  }
}

const credentialedProviderModule = createBackendModule({
  pluginId: 'external-secrets',
  moduleId: 'credentialed-provider',
  register(env) {
    env.registerInit({
      deps: { providers: externalSecretsProvidersExtensionPoint },
      async init({ providers }) {
        providers.addProvider(credentialedProvider);
      },
    });
  },
});

/** Served from a store that authenticates with the app-config credential. */
const CREDENTIALED = externalSecret('credentialed', {
  secretStoreRef: { kind: 'ClusterSecretStore', name: 'credentialed-store' },
  data: [{ secretKey: 'token', remoteRef: { key: 'CREDENTIALED_TOKEN' } }],
});

/** Served from a store declared in app-config. */
const CONFIG_BACKED = externalSecret('config-backed', {
  secretStoreRef: { kind: 'ClusterSecretStore', name: 'config-store' },
  data: [{ secretKey: 'token', remoteRef: { key: 'CONFIG_TOKEN' } }],
});

const MANIFEST = `
apiVersion: external-secrets.io/v1
kind: ExternalSecret
metadata:
  name: manifest-secrets
spec:
  refreshInterval: 1h
  secretStoreRef: { kind: ClusterSecretStore, name: canary-store }
  target: { name: manifest-secrets }
  data:
    - secretKey: password
      remoteRef: { key: DB_PASSWORD }
`;

const CONFIG = {
  manifests: {
    clusters: [{ name: 'test', allow: [{ namespaces: ['team-a'] }] }],
  },
  stores: [
    {
      kind: 'ClusterSecretStore',
      metadata: { name: 'config-store' },
      spec: {
        provider: {
          fake: { data: [{ key: 'CONFIG_TOKEN', value: CANARY }] },
        },
      },
    },
  ],
  credentials: [
    {
      name: 'canary-credentials',
      namespace: 'external-secrets',
      data: { clientId: 'canary-client', clientSecret: CREDENTIAL_CANARY },
    },
  ],
};

/** Every line any logger writes, with its metadata and errors expanded. */
function recordingRootLogger(lines: string[]) {
  const make = (fields: JsonObject): LoggerService => {
    const write =
      (level: string) => (message: string, meta?: Error | JsonObject) => {
        lines.push(inspect({ level, message, fields, meta }, { depth: 20 }));
      };
    return {
      error: write('error'),
      warn: write('warn'),
      info: write('info'),
      debug: write('debug'),
      child: meta => make({ ...fields, ...meta }),
    };
  };
  return createServiceFactory({
    service: coreServices.rootLogger,
    deps: {},
    factory: () => make({}),
  });
}

function manifestReader() {
  return mockServices.urlReader.mock({
    readUrl: async () =>
      ({
        buffer: async () => Buffer.from(MANIFEST),
      } as Awaited<ReturnType<UrlReaderService['readUrl']>>),
  });
}

async function auditRecords(backend: ReconcilerTestBackend) {
  const mock = backend.auditor.createEvent as jest.Mock;
  return Promise.all(
    mock.mock.calls.map(async ([options], i) => {
      const event = await mock.mock.results[i].value;
      return inspect(
        {
          options: { ...options, request: undefined },
          success: event.success.mock.calls,
          fail: event.fail.mock.calls,
        },
        { depth: 20 },
      );
    }),
  );
}

async function databaseRows(knex: Knex): Promise<string[]> {
  const tables: string[] =
    knex.client.config.client === 'pg'
      ? (
          await knex('information_schema.tables')
            .where({ table_schema: knex.raw('current_schema()') })
            .select('table_name')
        ).map((r: { table_name: string }) => r.table_name)
      : (
          await knex('sqlite_master').where({ type: 'table' }).select('name')
        ).map((r: { name: string }) => r.name);
  expect(tables).toEqual(
    expect.arrayContaining([
      'es_external_secrets',
      'es_keys',
      'es_events',
      'es_stores',
      'es_rate_limits',
      'es_webhook_deliveries',
    ]),
  );
  const dumps = [];
  for (const table of tables) {
    dumps.push(`${table}: ${JSON.stringify(await knex(table).select())}`);
  }
  return dumps;
}

function secretData(sim: KubernetesSimulator, name: string) {
  const secret = sim.get({ kind: 'Secret', namespace: 'team-a', name }) as
    | (StoredObject & { data?: Record<string, string> })
    | undefined;
  return secret?.data ?? {};
}

/**
 * The canaries and every encoding in which a written value could travel,
 * named so a failure never prints the value itself.
 */
function needles(sim: KubernetesSimulator): { name: string; value: string }[] {
  const base = {
    value: CANARY,
    credential: CREDENTIAL_CANARY,
    'cluster token': sim.token,
  };
  const found: { name: string; value: string }[] = [];
  for (const [name, value] of Object.entries(base)) {
    found.push(
      { name, value },
      {
        name: `${name} (base64)`,
        value: Buffer.from(value).toString('base64'),
      },
      {
        name: `${name} (base64url)`,
        value: Buffer.from(value).toString('base64url'),
      },
      { name: `${name} (hex)`, value: Buffer.from(value).toString('hex') },
    );
  }
  for (const secret of [
    'app-secrets',
    'config-backed',
    'credentialed',
    'manifest-secrets',
  ]) {
    for (const [key, data] of Object.entries(secretData(sim, secret))) {
      found.push(
        { name: `Secret ${secret} key ${key} (base64)`, value: data },
        {
          name: `Secret ${secret} key ${key}`,
          value: Buffer.from(data, 'base64').toString('utf8'),
        },
      );
    }
  }
  return found;
}

afterAll(async () => {
  await exporter.shutdown();
});

describe.each(databases.eachSupportedId())('canary (%s)', databaseId => {
  let sim: KubernetesSimulator;
  let backend: ReconcilerTestBackend | undefined;

  beforeAll(async () => {
    sim = await startKubernetesSimulator();
  });

  afterAll(async () => {
    await backend?.stop();
    await sim.stop();
  });

  it('should never put a secret value, a credential or the cluster token in an API answer, a log line, an audit event, a database row or a metric', async () => {
    sim.seed({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'team-a' },
    });
    sim.seed({
      apiVersion: 'external-secrets.io/v1',
      kind: 'ClusterSecretStore',
      metadata: { name: 'canary-store' },
      spec: { provider: { fake: { data: PROVIDER_DATA } } },
    });
    sim.seed({
      apiVersion: 'external-secrets.io/v1',
      kind: 'ClusterSecretStore',
      metadata: { name: 'credentialed-store' },
      spec: {
        provider: {
          credentialed: {
            auth: {
              clientSecret: {
                name: 'canary-credentials',
                namespace: 'external-secrets',
                key: 'clientSecret',
              },
            },
          },
        },
      },
    });
    sim.seed(SYNCED, FAILING, BAD_TEMPLATE, CONFIG_BACKED, CREDENTIALED);
    credentialReads.length = 0;
    const logs: string[] = [];
    const knex = await databases.init(databaseId as TestDatabaseId);
    backend = await startReconcilerTestBackend({
      sim,
      entities: [CANARY_ENTITY],
      knex,
      config: CONFIG,
      extraFeatures: [
        recordingRootLogger(logs),
        manifestReader().factory,
        credentialedProviderModule,
      ],
    });
    const server = request(backend.server);

    await backend.runCycle();
    const answers = [
      await server.get(`${ENTITY_PATH}/status`),
      await server.post(`${ENTITY_PATH}/sync`),
      await server.post(`${ENTITY_PATH}/sync`).send({ name: 'no-such-es' }),
    ];
    await backend.runCycle();
    answers.push(
      await server.get(`${ENTITY_PATH}/status`),
      await server.get(`${ENTITY_PATH}/events?limit=999`),
      await server.get('/api/external-secrets/stores'),
      await server.get('/api/external-secrets/overview'),
      await server.get('/api/external-secrets/health'),
    );

    // The values did travel where they belong, and every failure path ran.
    expect(
      Buffer.from(
        secretData(sim, 'app-secrets').dsn ?? '',
        'base64',
      ).toString(),
    ).toBe(`postgres://app:${CANARY}@db:5432/app`);
    expect(secretData(sim, 'config-backed').token).toBe(
      Buffer.from(CANARY).toString('base64'),
    );
    expect(secretData(sim, 'manifest-secrets').password).toBe(
      Buffer.from(CANARY).toString('base64'),
    );
    const status = answers[3].body.externalSecrets as {
      name: string;
      state: string;
    }[];
    expect(status.map(es => [es.name, es.state])).toEqual([
      ['app-secrets', 'Synced'],
      ['bad-template', 'Error'],
      ['broken-secrets', 'Error'],
      ['config-backed', 'Synced'],
      ['credentialed', 'Synced'],
      ['manifest-secrets', 'Synced'],
    ]);
    // The credential was read, and was the right one (else not Synced).
    expect(credentialReads).toContain('credentialed-store');
    expect(secretData(sim, 'credentialed').token).toBe(
      Buffer.from(CANARY).toString('base64'),
    );
    expect(answers.map(a => a.status)).toEqual([
      200, 202, 404, 200, 200, 200, 200, 200,
    ]);
    const outputs = {
      api: answers.map(a => `${a.status} ${a.text}`),
      logs,
      audit: await auditRecords(backend),
      database: await databaseRows(knex),
      metrics: [(await exporter.scrape()).text],
    };
    expect(outputs.logs.length).toBeGreaterThan(0);
    expect(outputs.audit.length).toBeGreaterThan(0);
    expect(outputs.metrics[0]).toContain('externalsecret_status_condition');

    const searched = needles(sim);
    const leaks = Object.entries(outputs).flatMap(([where, texts]) =>
      texts.flatMap((text, index) =>
        searched
          .filter(needle => text.includes(needle.value))
          .map(needle => `${needle.name} in ${where}[${index}]`),
      ),
    );
    expect(leaks).toEqual([]);
  });
});
