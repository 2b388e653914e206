import {
  createMockDirectory,
  mockCredentials,
} from '@backstage/backend-test-utils';
import { JsonObject } from '@backstage/types';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { parseExternalSecret } from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import {
  AWS_KEYS,
  AWS_STORE,
  BROKEN_STORE,
  INFISICAL_KEYS,
  INFISICAL_STORE,
  TEAM_STORE,
} from '../__fixtures__/stores';
import { capturingLogger, setupBackend } from '../__testUtils__/testApi';
import { createExternalSecretAction } from './createExternalSecretAction';

const backend = setupBackend(() => ({
  stores: [INFISICAL_STORE, BROKEN_STORE, TEAM_STORE],
  keys: INFISICAL_KEYS,
}));
const workspace = createMockDirectory();

/** The seed's ExternalSecret, as a template would pass it. */
function seedInput(overrides: JsonObject = {}): JsonObject {
  return {
    name: 'my-secret',
    namespace: 'my-namespace',
    store: { kind: 'ClusterSecretStore', name: 'infisical-archon-platform' },
    refreshInterval: '1h',
    target: { name: 'my-secret' },
    data: [{ secretKey: 'api-key', remoteRef: { key: 'MY_SECRET_NAME' } }],
    ...overrides,
  };
}

async function run(input: JsonObject, options: { isDryRun?: boolean } = {}) {
  const { logger, lines } = capturingLogger();
  const ctx = {
    ...createMockActionContext({
      input,
      logger,
      workspacePath: workspace.path,
    }),
    isDryRun: options.isDryRun,
  };
  const action = createExternalSecretAction({ api: backend.api });
  const result = await action.handler(ctx as never).then(
    () => undefined,
    (error: Error) => error,
  );
  return { ctx, lines, error: result };
}

describe('external-secrets:create', () => {
  beforeEach(() => workspace.clear());

  it('should write the seed manifest, which the domain core parses back identically', async () => {
    const { ctx, error } = await run(seedInput());

    expect(error).toBeUndefined();
    const path = 'kubernetes/externalsecret-my-secret.yaml';
    const written = readFileSync(join(workspace.path, path), 'utf8');
    const seed = readFileSync(
      join(__dirname, '../__fixtures__/seed-externalsecret.yaml'),
      'utf8',
    );
    const reparsed = parseExternalSecret(written);
    const expected = parseExternalSecret(seed);
    expect(reparsed.ok && expected.ok).toBe(true);
    if (!reparsed.ok || !expected.ok) return;
    expect(reparsed.value.externalSecret).toEqual(
      expected.value.externalSecret,
    );
    expect(reparsed.issues).toEqual([]);
    expect(ctx.output).toHaveBeenCalledWith('filePath', path);
    expect(ctx.output).toHaveBeenCalledWith('manifest', parse(written));
  });

  it('should ask the backend as the user running the template', async () => {
    await run(seedInput({ validateRemoteKeys: true }));

    expect(backend.requests.map(r => r.path)).toEqual([
      '/api/external-secrets/stores',
      '/api/external-secrets/stores/simulated-demo/ClusterSecretStore/-/infisical-archon-platform/keys/check',
    ]);
    for (const request of backend.requests) {
      expect(request.authorization).toBe(
        `Bearer ${mockCredentials.service.token({
          onBehalfOf: mockCredentials.user(),
          targetPluginId: 'external-secrets',
        })}`,
      );
    }
  });

  it('should write to targetPath, with labels, policies and dataFrom', async () => {
    const { error } = await run(
      seedInput({
        targetPath: 'deploy/es.yaml',
        labels: { 'backstage.io/kubernetes-id': 'my-service' },
        target: {
          name: 'my-secret',
          creationPolicy: 'Orphan',
          deletionPolicy: 'Retain',
        },
        dataFrom: [{ extract: { key: 'DB_PASSWORD' } }],
      }),
    );

    expect(error).toBeUndefined();
    const manifest = parse(
      readFileSync(join(workspace.path, 'deploy/es.yaml'), 'utf8'),
    );
    expect(manifest.metadata.labels).toEqual({
      'backstage.io/kubernetes-id': 'my-service',
    });
    expect(manifest.spec.target).toEqual({
      name: 'my-secret',
      creationPolicy: 'Orphan',
      deletionPolicy: 'Retain',
    });
    expect(manifest.spec.dataFrom).toEqual([
      { extract: { key: 'DB_PASSWORD' } },
    ]);
  });

  it.each([
    [
      'a bad secretKey',
      seedInput({
        data: [{ secretKey: 'api key', remoteRef: { key: 'MY_SECRET_NAME' } }],
      }),
      'spec.data[0].secretKey "api key": must match',
    ],
    [
      'duplicate secretKeys',
      seedInput({
        data: [
          { secretKey: 'api-key', remoteRef: { key: 'MY_SECRET_NAME' } },
          { secretKey: 'api-key', remoteRef: { key: 'DB_PASSWORD' } },
        ],
      }),
      'spec.data[1].secretKey "api-key": duplicate of spec.data[0].secretKey',
    ],
    [
      'deletionPolicy Delete with creationPolicy Merge',
      seedInput({
        target: { creationPolicy: 'Merge', deletionPolicy: 'Delete' },
      }),
      'spec.target.deletionPolicy "Delete": not allowed with creationPolicy Merge',
    ],
    [
      'a template minting a service-account token',
      seedInput({
        target: {
          template: { type: 'kubernetes.io/service-account-token' },
        },
      }),
      'spec.target.template.type "kubernetes.io/service-account-token": not allowed',
    ],
    [
      'nothing to sync',
      seedInput({ data: [] }),
      'spec: must set data, dataFrom or target.template',
    ],
    [
      'a bad refreshInterval',
      seedInput({ refreshInterval: 'hourly' }),
      'spec.refreshInterval "hourly"',
    ],
    [
      'an unknown store',
      seedInput({ store: { kind: 'ClusterSecretStore', name: 'nope' } }),
      'ClusterSecretStore nope is not a known store (known: ClusterSecretStore broken-store, ClusterSecretStore infisical-archon-platform, SecretStore team-a/team-store)',
    ],
    [
      'a store that is not Ready',
      seedInput({
        store: { kind: 'ClusterSecretStore', name: 'broken-store' },
      }),
      'ClusterSecretStore broken-store (app-config) is not Ready: InvalidProviderConfig: universal auth login answered HTTP 401 (reqId r-1)',
    ],
    [
      'a SecretStore of another namespace',
      seedInput({
        store: { kind: 'SecretStore', name: 'team-store', namespace: 'team-a' },
      }),
      'SecretStore team-a/team-store cannot be used from namespace my-namespace',
    ],
    [
      'a missing remote key',
      seedInput({
        validateRemoteKeys: true,
        data: [
          { secretKey: 'api-key', remoteRef: { key: 'MY_SECRET_NAME' } },
          { secretKey: 'token', remoteRef: { key: 'NOT_THERE' } },
        ],
      }),
      'Remote key(s) "NOT_THERE" not found in ClusterSecretStore infisical-archon-platform',
    ],
    [
      'a targetPath leaving the workspace',
      seedInput({ targetPath: '../outside.yaml' }),
      'targetPath "../outside.yaml": must stay inside the workspace',
    ],
    [
      'an absolute targetPath',
      seedInput({ targetPath: '/etc/es.yaml' }),
      'targetPath "/etc/es.yaml": must stay inside the workspace',
    ],
  ])(
    'should refuse %s with a clear message and write nothing',
    async (_, input, message) => {
      const { error, ctx } = await run(input);

      expect(error?.name).toBe('InputError');
      expect(error?.message).toContain(message);
      expect(workspace.content()).toEqual({});
      expect(ctx.output).not.toHaveBeenCalled();
    },
  );

  it('should accept a remote key in a subfolder written with a leading slash', async () => {
    const { error } = await run(
      seedInput({
        validateRemoteKeys: true,
        data: [{ secretKey: 'user', remoteRef: { key: '/payments/DB_USER' } }],
      }),
    );

    expect(error).toBeUndefined();
  });

  it('should check an AWS Secrets Manager store’s keys as the literal names AWS reads (no leading-slash folding)', async () => {
    backend.update({
      stores: [INFISICAL_STORE, AWS_STORE],
      keys: AWS_KEYS,
    });
    const aws = { kind: 'ClusterSecretStore', name: 'aws-secrets-manager' };

    const listed = await run(
      seedInput({
        store: aws,
        validateRemoteKeys: true,
        data: [
          {
            secretKey: 'gateway-token',
            remoteRef: { key: 'checkout/payment-gateway', property: 'token' },
          },
        ],
      }),
    );
    const slashed = await run(
      seedInput({
        store: aws,
        validateRemoteKeys: true,
        data: [
          {
            secretKey: 'gateway-token',
            remoteRef: { key: '/checkout/payment-gateway' },
          },
        ],
      }),
    );

    expect(listed.error).toBeUndefined();
    expect(slashed.error?.name).toBe('InputError');
    expect(slashed.error?.message).toContain(
      '"/checkout/payment-gateway" not found in ClusterSecretStore aws-secrets-manager',
    );
  });

  it('should ask the backend to resolve each key once, as written, and name its cause and "did you mean" names for a key it cannot read', async () => {
    backend.update({
      suggestions: { '/payments/DB_PASWORD': ['/payments/DB_PASSWORD'] },
    });
    const { error } = await run(
      seedInput({
        validateRemoteKeys: true,
        data: [
          { secretKey: 'a', remoteRef: { key: '/payments/DB_PASWORD' } },
          { secretKey: 'b', remoteRef: { key: 'MY_SECRET_NAME' } },
          {
            secretKey: 'c',
            remoteRef: { key: 'MY_SECRET_NAME', property: 'x' },
          },
          {
            secretKey: 'd',
            remoteRef: { key: 'MY_SECRET_NAME', property: 'x', version: 'v1' },
          },
        ],
      }),
    );

    // Each key once; its property is resolved by the backend as a sync does,
    // in the version remoteRef.version pins.
    expect(backend.requests.at(-1)?.body).toEqual({
      keys: ['/payments/DB_PASWORD', 'MY_SECRET_NAME'],
      properties: [
        { key: 'MY_SECRET_NAME', property: 'x' },
        { key: 'MY_SECRET_NAME', property: 'x', version: 'v1' },
      ],
    });
    expect(error?.name).toBe('InputError');
    expect(error?.message).toBe(
      'Remote key(s) "/payments/DB_PASWORD" not found in ClusterSecretStore infisical-archon-platform: "/payments/DB_PASWORD": KEY_NOT_FOUND: key "/payments/DB_PASWORD" does not exist. Did you mean "/payments/DB_PASSWORD"?',
    );
  });

  it('should fail on a key missing from a truncated listing: the check does not depend on the listing', async () => {
    backend.update({ keys: { ...INFISICAL_KEYS, truncated: true } });
    const { error } = await run(
      seedInput({
        validateRemoteKeys: true,
        data: [{ secretKey: 'token', remoteRef: { key: 'BEYOND_THE_CAP' } }],
      }),
    );

    expect(error?.message).toContain('"BEYOND_THE_CAP" not found');
  });

  it.each([
    [
      'stores',
      {
        storesError: {
          status: 403,
          message: 'Not allowed: external-secrets.stores.read',
        },
      },
      'Cannot check store infisical-archon-platform: Request failed with 403',
    ],
    [
      'keys',
      { keysError: { status: 409, message: 'store is not Ready' } },
      'Cannot check the keys of ClusterSecretStore infisical-archon-platform: Request failed with 409',
    ],
  ])(
    'should name the backend’s answer when the %s call fails, and write nothing',
    async (_, patch, message) => {
      backend.update(patch);
      const { error } = await run(seedInput({ validateRemoteKeys: true }));

      expect(error?.message).toContain(message);
      expect(workspace.content()).toEqual({});
    },
  );

  it('should skip the keys call when validateRemoteKeys is off', async () => {
    await run(seedInput());

    expect(backend.requests.map(r => r.path)).toEqual([
      '/api/external-secrets/stores',
    ]);
  });

  it('should in a dry run check the same and write the same file into the throwaway workspace', async () => {
    const real = await run(seedInput({ validateRemoteKeys: true }));
    const realFiles = workspace.content();
    workspace.clear();
    const dry = await run(seedInput({ validateRemoteKeys: true }), {
      isDryRun: true,
    });

    expect([real.error, dry.error]).toEqual([undefined, undefined]);
    expect(workspace.content()).toEqual(realFiles);
    expect(dry.lines).toContainEqual(expect.stringContaining('(dry run)'));
  });

  it('should in a dry run with a missing key fail the same way and write nothing', async () => {
    const { error } = await run(
      seedInput({
        validateRemoteKeys: true,
        data: [{ secretKey: 'x', remoteRef: { key: 'NOT_THERE' } }],
      }),
      { isDryRun: true },
    );

    expect(error?.message).toContain('"NOT_THERE" not found');
    expect(workspace.content()).toEqual({});
  });
});
