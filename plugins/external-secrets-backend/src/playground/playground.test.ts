import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { SchedulerServiceTaskFunction } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { JsonObject } from '@backstage/types';
import request from 'supertest';
import { externalSecretsPlugin } from '../plugin';

jest.setTimeout(60_000);

/** An entity that opts in to the playground's sample ExternalSecret. */
const OPTED_IN: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'example-website',
    namespace: 'default',
    annotations: {
      'backstage.io/kubernetes-id': 'external-secrets-playground',
    },
  },
  spec: { type: 'website', owner: 'guests', lifecycle: 'experimental' },
};

/** Boots the real plugin with only `externalSecrets` config; cycles run on demand. */
async function startPluginBackend(externalSecrets: JsonObject) {
  let task: SchedulerServiceTaskFunction | undefined;
  const scheduler = mockServices.scheduler.mock({
    async scheduleTask(definition) {
      task = definition.fn;
    },
  });
  const backend = await startTestBackend({
    features: [
      externalSecretsPlugin,
      scheduler.factory,
      catalogServiceMock.factory({ entities: [OPTED_IN] }),
      mockServices.rootConfig.factory({
        data: {
          externalSecrets: {
            ...externalSecrets,
            api: { validateResponses: true },
            // runCycle() runs one cycle; with watches a run holds its cluster
            // for the whole `frequency` and the test would wait it out.
            watch: { enabled: false },
          },
        },
      }),
    ],
  });
  return {
    backend,
    runCycle: async () => task!(new AbortController().signal),
    status: async () =>
      (
        await request(backend.server).get(
          '/api/external-secrets/entities/component/default/example-website/status',
        )
      ).body,
  };
}

describe('externalSecrets.playground', () => {
  const nodeEnv = process.env.NODE_ENV;
  afterEach(() => {
    process.env.NODE_ENV = nodeEnv;
  });

  it('syncs the sample ExternalSecret of an opted-in entity from a simulated cluster, labelled as the playground', async () => {
    const { backend, runCycle, status } = await startPluginBackend({
      playground: true,
    });
    try {
      await runCycle();

      const body = await status();
      expect(body.setup).toEqual({ clusters: 1, playground: true });
      expect(body.externalSecrets).toHaveLength(1);
      const [sample] = body.externalSecrets;
      expect(sample).toMatchObject({
        cluster: 'playground',
        namespace: 'playground',
        name: 'playground-sample',
        state: 'Synced',
        store: { kind: 'ClusterSecretStore', name: 'playground-sample-store' },
      });
      expect(
        sample.keys.map((k: { secretKey: string; state: string }) => [
          k.secretKey,
          k.state,
        ]),
      ).toEqual(
        expect.arrayContaining([
          ['DB_USERNAME', 'synced'],
          ['DB_PASSWORD', 'synced'],
          ['API_TOKEN', 'synced'],
        ]),
      );
      // Values stay in the (simulated) cluster: the API carries names only.
      expect(JSON.stringify(body)).not.toContain(
        'sample-password-not-a-secret',
      );

      const stores = (
        await request(backend.server).get('/api/external-secrets/stores')
      ).body;
      expect(stores.setup).toEqual({ clusters: 1, playground: true });
      expect(stores.stores).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            name: 'playground-sample-store',
            ready: true,
          }),
        ]),
      );
    } finally {
      await backend.stop();
    }
  });

  it('is refused at startup when NODE_ENV is production', async () => {
    process.env.NODE_ENV = 'production';

    await expect(startPluginBackend({ playground: true })).rejects.toThrow(
      /externalSecrets\.playground is true but NODE_ENV is 'production'.*refused in production/,
    );
  });
});

describe('setup in API responses', () => {
  it('reports zero clusters when none is configured, so the card can say so', async () => {
    const { backend, runCycle, status } = await startPluginBackend({});
    try {
      await runCycle();

      const body = await status();
      expect(body.externalSecrets).toEqual([]);
      expect(body.setup).toEqual({ clusters: 0, playground: false });
    } finally {
      await backend.stop();
    }
  });
});
