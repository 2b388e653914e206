import {
  parseExternalSecret,
  parseSecretStore,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import {
  planReads,
  ReadOutcome,
  reconcileExternalSecret,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-node';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  simulatorTlsDir,
  startInfisicalSimulatorServer,
  type InfisicalSimulatorServer,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-test-utils';
import {
  CANARY,
  createTestWorld,
  storeContext,
  universalAuthSecrets,
} from './__testUtils__/testWorld';

const tls = (name: string) =>
  readFileSync(resolve(simulatorTlsDir(), name), 'utf8');
// This package's copies of the seed documents (as in the backend's
// src/__fixtures__): no test reads another package's files.
const seed = (name: string) =>
  readFileSync(resolve(__dirname, '__fixtures__', name), 'utf8');

/**
 * The seed documents as written (the ClusterSecretStore only re-pointed at the
 * local HTTPS simulator) through the whole domain core: parse → provider over
 * self-signed TLS with the CA from a ConfigMap → planReads → reconcile.
 */
describe('the seed ClusterSecretStore and ExternalSecret end to end', () => {
  let world: ReturnType<typeof createTestWorld>;
  let server: InfisicalSimulatorServer;

  beforeEach(async () => {
    world = createTestWorld();
    server = await startInfisicalSimulatorServer({
      simulator: world.simulator,
      tls: { key: tls('server.key'), cert: tls('server.pem') },
    });
  });

  afterEach(async () => {
    await world.provider.shutdown();
    await server.close();
  });

  it('should produce Secret my-secret with key api-key from Infisical', async () => {
    const storeYaml = seed('seed-clustersecretstore.yaml').replace(
      /hostAPI: .*/,
      `hostAPI: ${server.url}/api`,
    );
    const store = parseSecretStore(storeYaml);
    const externalSecret = parseExternalSecret(
      seed('seed-externalsecret.yaml'),
    );
    if (!store.ok || !externalSecret.ok) {
      throw new Error(
        JSON.stringify([
          store.issues,
          !externalSecret.ok && externalSecret.issues,
        ]),
      );
    }
    // Applied to a cluster, the apiserver gives the ExternalSecret a uid (its Secret's owner).
    externalSecret.value.externalSecret.metadata.uid = '5b0e6b1e-seed';
    const context = storeContext({
      logger: world.logger,
      // the fixture names its credentials Secret universal-auth-credentials
      secrets: universalAuthSecrets(
        CANARY.clientId,
        CANARY.clientSecret,
        'universal-auth-credentials',
      ),
      configMaps: { 'external-secrets/infisical-ca/ca.crt': tls('ca.pem') },
      namespace: 'my-namespace',
    });

    expect(world.provider.validateStoreSpec(store.value)).toEqual([]);
    expect(
      await world.provider.validateStore(store.value, context),
    ).toMatchObject({
      ready: true,
      reason: 'Valid',
    });
    const client = await world.provider.newClient(store.value, context);
    const reads = new Map<string, ReadOutcome>();
    for (const request of planReads(externalSecret.value)) {
      if (request.operation.kind !== 'get')
        throw new Error('seed reads one key');
      reads.set(request.id, {
        ok: true,
        secret: await client.getSecret(request.operation),
      });
    }
    await client.close();
    const result = reconcileExternalSecret({
      parsed: externalSecret.value,
      reads,
      now: new Date('2026-11-23T12:00:00Z'),
    });

    expect(result.action).toBe('create');
    expect(result.desired?.metadata).toMatchObject({
      name: 'my-secret',
      namespace: 'my-namespace',
      labels: { 'reconcile.external-secrets.io/managed': 'true' },
      ownerReferences: [
        expect.objectContaining({ name: 'my-secret', uid: '5b0e6b1e-seed' }),
      ],
    });
    expect(Object.keys(result.desired!.data)).toEqual(['api-key']);
    expect(result.desired!.data['api-key'].text()).toBe(CANARY.value);
    expect(result.condition).toMatchObject({
      status: 'True',
      reason: 'SecretSynced',
    });
  });
});
