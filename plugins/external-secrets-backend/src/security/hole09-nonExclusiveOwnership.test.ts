import { mockServices, TestDatabaseId } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import request from 'supertest';
import {
  KubernetesSimulator,
  startKubernetesSimulator,
} from '../testUtils/kubernetes';
import {
  ReconcilerTestBackend,
  startReconcilerTestBackend,
} from '../__testUtils__/startReconcilerTestBackend';
import { createTestDatabases } from '../__testUtils__/testDatabases';

jest.setTimeout(60_000);

const databases = createTestDatabases();

const API = '/api/external-secrets';
const BROAD_REF = 'component:default/broad';
const TEAM_B_REF = 'component:default/team-b-svc';
const BROAD = `${API}/entities/component/default/broad`;
const TEAM_A = `${API}/entities/component/default/team-a-svc`;
const TEAM_B = `${API}/entities/component/default/team-b-svc`;

function entity(name: string, annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations },
    spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
  };
}

/** A platform entity with a broad selector; its ref sorts before the teams'. */
const BROAD_ENTITY = entity('broad', {
  'backstage.io/kubernetes-label-selector': 'team in (a,b)',
});
const TEAM_A_ENTITY = entity('team-a-svc', {
  'backstage.io/kubernetes-id': 'team-a-svc',
});
const TEAM_B_ENTITY = entity('team-b-svc', {
  'backstage.io/kubernetes-id': 'team-b-svc',
});

function externalSecret(namespace: string, id: string, team: string) {
  return {
    apiVersion: 'external-secrets.io/v1',
    kind: 'ExternalSecret',
    metadata: {
      name: `${id}-db`,
      namespace,
      labels: { 'backstage.io/kubernetes-id': id, team },
    },
    spec: {
      refreshInterval: '1h',
      secretStoreRef: { kind: 'ClusterSecretStore', name: 'demo-store' },
      target: { name: `${id}-db` },
      data: [{ secretKey: 'api-key', remoteRef: { key: 'PRESENT' } }],
    },
  };
}

function seedCluster(sim: KubernetesSimulator) {
  sim.reset();
  for (const name of ['team-a', 'team-b']) {
    sim.seed({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  }
  sim.seed({
    apiVersion: 'external-secrets.io/v1',
    kind: 'ClusterSecretStore',
    metadata: { name: 'demo-store' },
    spec: {
      provider: { fake: { data: [{ key: 'PRESENT', value: 'canary-h9' }] } },
    },
  });
  sim.seed(externalSecret('team-a', 'team-a-svc', 'a'));
  sim.seed(externalSecret('team-b', 'team-b-svc', 'b'));
}

/**
 * A user who may read team-b-svc only: the catalog hides `broad` from them
 * (as a catalog permission policy would) and our own read permission is
 * granted on team-b-svc's resource ref alone.
 */
function teamBUserPermissions() {
  return mockServices.permissions.mock({
    authorize: async requests =>
      requests.map(r => ({
        result:
          'resourceRef' in r && r.resourceRef !== TEAM_B_REF
            ? AuthorizeResult.DENY
            : AuthorizeResult.ALLOW,
      })),
  });
}

const names = (res: request.Response) =>
  (res.body.externalSecrets as { name: string }[]).map(es => es.name);

describe.each(databases.eachSupportedId())(
  'hole 9: every entity whose selector matches an ExternalSecret sees it, not only the first claimant (%s)',
  databaseId => {
    let sim: KubernetesSimulator;

    beforeAll(async () => {
      sim = await startKubernetesSimulator();
    });

    afterAll(async () => {
      await sim.stop();
    });

    async function start(
      options: { teamBUser?: boolean } = {},
    ): Promise<ReconcilerTestBackend> {
      seedCluster(sim);
      const backend = await startReconcilerTestBackend({
        sim,
        entities: [TEAM_B_ENTITY, BROAD_ENTITY, TEAM_A_ENTITY],
        knex: await databases.init(databaseId as TestDatabaseId),
        ...(options.teamBUser
          ? {
              permissions: teamBUserPermissions(),
              hiddenFromUsers: [BROAD_REF],
            }
          : {}),
      });
      await backend.runCycle();
      return backend;
    }

    describe('with a user allowed everything', () => {
      let backend: ReconcilerTestBackend;

      beforeAll(async () => {
        backend = await start();
      });

      afterAll(async () => {
        await backend.stop();
      });

      it("should show team B its ExternalSecret although the broad entity's selector matches it too", async () => {
        const teamB = await request(backend.server).get(`${TEAM_B}/status`);
        const broad = await request(backend.server).get(`${BROAD}/status`);
        const teamA = await request(backend.server).get(`${TEAM_A}/status`);

        expect(teamB.status).toBe(200);
        expect(teamB.body.entityRef).toBe(TEAM_B_REF);
        expect(names(teamB)).toEqual(['team-b-svc-db']);
        expect(teamB.body.externalSecrets[0]).toEqual(
          expect.objectContaining({ namespace: 'team-b', state: 'Synced' }),
        );
        expect(names(broad)).toEqual(['team-a-svc-db', 'team-b-svc-db']);
        expect(names(teamA)).toEqual(['team-a-svc-db']);
        expect(
          JSON.stringify([teamA.body, teamB.body, broad.body]),
        ).not.toContain('canary-h9');
      });

      it('should show each claimant the same events of an ExternalSecret reconciled once', async () => {
        const teamB = await request(backend.server).get(`${TEAM_B}/events`);
        const broad = await request(backend.server).get(`${BROAD}/events`);
        const teamA = await request(backend.server).get(`${TEAM_A}/events`);

        expect(teamB.status).toBe(200);
        const teamBEvents = teamB.body.events as { name: string }[];
        expect(teamBEvents.length).toBeGreaterThan(0);
        expect(teamBEvents.every(e => e.name === 'team-b-svc-db')).toBe(true);
        // One write, one history: both claimants see the same events.
        expect(
          (broad.body.events as { name: string }[]).filter(
            e => e.name === 'team-b-svc-db',
          ),
        ).toEqual(teamBEvents);
        expect(
          (teamA.body.events as { name: string }[]).map(e => e.name),
        ).not.toContain('team-b-svc-db');
      });

      it('should sync now through an entity that claims the ExternalSecret and refuse it through one that does not', async () => {
        const refused = await request(backend.server)
          .post(`${TEAM_A}/sync`)
          .send({ namespace: 'team-b', name: 'team-b-svc-db' });
        const annotationsAfterRefusal = sim.get({
          kind: 'ExternalSecret',
          namespace: 'team-b',
          name: 'team-b-svc-db',
        })?.metadata.annotations;
        const accepted = await request(backend.server)
          .post(`${TEAM_B}/sync`)
          .send({ namespace: 'team-b', name: 'team-b-svc-db' });

        expect(refused.status).toBe(404);
        expect(refused.body.error.message).toContain(
          'component:default/team-a-svc has no ExternalSecret matching team-b/team-b-svc-db',
        );
        expect(annotationsAfterRefusal?.['force-sync']).toBeUndefined();
        expect(accepted.status).toBe(202);
        expect(accepted.body.requested).toEqual([
          expect.objectContaining({
            namespace: 'team-b',
            name: 'team-b-svc-db',
            how: 'force-sync-annotation',
          }),
        ]);
      });
    });

    describe('when the claimants change', () => {
      let backend: ReconcilerTestBackend;

      beforeAll(async () => {
        backend = await start();
      });

      afterAll(async () => {
        await backend.stop();
      });

      it('should follow the labels: an entity that stops claiming an ExternalSecret stops seeing it and its events', async () => {
        const relabelled = externalSecret('team-b', 'team-b-svc', 'c');
        sim.seed(relabelled);
        await backend.runCycle();

        const broad = await request(backend.server).get(`${BROAD}/status`);
        const broadEvents = await request(backend.server).get(
          `${BROAD}/events`,
        );
        const teamB = await request(backend.server).get(`${TEAM_B}/status`);

        expect(names(broad)).toEqual(['team-a-svc-db']);
        expect(
          (broadEvents.body.events as { name: string }[]).map(e => e.name),
        ).not.toContain('team-b-svc-db');
        expect(names(teamB)).toEqual(['team-b-svc-db']);
        expect(teamB.body.externalSecrets[0].state).toBe('Synced');
      });
    });

    describe('with a user who may read team-b-svc only', () => {
      let backend: ReconcilerTestBackend;

      beforeAll(async () => {
        backend = await start({ teamBUser: true });
      });

      afterAll(async () => {
        await backend.stop();
      });

      it('should show the ExternalSecret through team-b-svc and answer 404 for the broad entity', async () => {
        const teamB = await request(backend.server).get(`${TEAM_B}/status`);
        const broad = await request(backend.server).get(`${BROAD}/status`);
        const broadEvents = await request(backend.server).get(
          `${BROAD}/events`,
        );
        const broadSync = await request(backend.server)
          .post(`${BROAD}/sync`)
          .send({ namespace: 'team-b', name: 'team-b-svc-db' });

        expect(teamB.status).toBe(200);
        expect(names(teamB)).toEqual(['team-b-svc-db']);
        for (const res of [broad, broadEvents, broadSync]) {
          expect(res.status).toBe(404);
          expect(res.body.error.name).toBe('NotFoundError');
          expect(JSON.stringify(res.body)).not.toContain('team-b-svc-db');
        }
      });

      it('should answer 403 for a readable entity the user may not read ExternalSecrets of', async () => {
        const teamA = await request(backend.server).get(`${TEAM_A}/status`);

        expect(teamA.status).toBe(403);
        expect(JSON.stringify(teamA.body)).not.toContain('team-a-svc-db');
      });
    });
  },
);
