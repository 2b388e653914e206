import { Entity } from '@backstage/catalog-model';
import request from 'supertest';
import {
  KubernetesSimulator,
  startKubernetesSimulator,
} from '../testUtils/kubernetes';
import {
  ReconcilerTestBackend,
  startReconcilerTestBackend,
} from '../__testUtils__/startReconcilerTestBackend';

jest.setTimeout(120_000);

const API = '/api/external-secrets';
const component = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default' },
  spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
});

/** Hostile path segments, already in the form they travel in the URL. */
const HOSTILE: [string, string][] = [
  ['encoded traversal', '..%2F..%2Fstores'],
  ['double-encoded traversal', '%252e%252e%252fstores'],
  ['dot segment', '%2e%2e'],
  ['encoded NUL', 'orders%00'],
  ['NUL in the middle', 'ord%00ers'],
  ['bare percent', 'orders%'],
  ['broken escape', '%E0%A4%A'],
  ['SQL', "orders'%20OR%20'1'%3D'1"],
  ['SQL comment', 'orders%3B--%20DROP%20TABLE%20external_secrets'],
  ['very long name', 'a'.repeat(5000)],
  ['unicode homoglyph', encodeURIComponent('оrders')],
  ['RTL override', encodeURIComponent('orders\u202e')],
  ['zero-width space', encodeURIComponent('or\u200bders')],
  ['emoji', encodeURIComponent('🔥')],
  ['CRLF', 'orders%0D%0ASet-Cookie%3A%20x%3D1'],
  ['colon and slash', 'component%3Adefault%2Forders'],
];

const ENDPOINTS: ['GET' | 'POST', string][] = [
  ['GET', 'status'],
  ['GET', 'events'],
  ['POST', 'sync'],
];

/** Puts the hostile segment in the kind, namespace or name position. */
const POSITIONS: [string, (s: string) => string][] = [
  ['kind', s => `${API}/entities/${s}/default/orders`],
  ['namespace', s => `${API}/entities/component/${s}/orders`],
  ['name', s => `${API}/entities/component/default/${s}`],
];

describe('hostile entity refs in API paths', () => {
  let sim: KubernetesSimulator;
  let backend: ReconcilerTestBackend;

  beforeAll(async () => {
    sim = await startKubernetesSimulator();
    backend = await startReconcilerTestBackend({
      sim,
      entities: [component('orders'), component('hidden')],
      hiddenFromUsers: ['component:default/hidden'],
    });
  });
  afterAll(async () => {
    await backend.stop();
    await sim.stop();
  });

  const send = (method: 'GET' | 'POST', path: string) =>
    method === 'GET'
      ? request(backend.server).get(path)
      : request(backend.server).post(path).send({});

  const cases = HOSTILE.flatMap(([label, segment]) =>
    POSITIONS.flatMap(([position, build]) =>
      ENDPOINTS.map(
        ([method, endpoint]) =>
          [
            `${method} .../${endpoint} with ${label} as ${position}`,
            method,
            `${build(segment)}/${endpoint}`,
          ] as const,
      ),
    ),
  );

  it.each(cases)(
    'should answer %s with a JSON 4xx error, never a 5xx',
    async (_label, method, path) => {
      const res = await send(method, path);

      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(res.headers['content-type']).toMatch(/application\/json/);
      expect(res.body.error).toEqual(
        expect.objectContaining({
          name: expect.any(String),
          message: expect.any(String),
        }),
      );
      expect(res.headers['set-cookie']).toBeUndefined();
    },
  );

  it.each(
    HOSTILE.flatMap(([label, segment]) =>
      ENDPOINTS.map(([method, endpoint]) => [label, method, endpoint, segment]),
    ),
  )(
    'should not tell a hidden entity from a missing one with %s appended (%s .../%s)',
    async (_label, method, endpoint, segment) => {
      const path = (name: string) =>
        `${API}/entities/component/default/${name}${segment}/${endpoint}`;

      const hidden = await send(method as 'GET' | 'POST', path('hidden'));
      const missing = await send(method as 'GET' | 'POST', path('nosuch'));

      expect(hidden.status).toBe(missing.status);
      expect(
        JSON.stringify(hidden.body.error).replaceAll('hidden', 'nosuch'),
      ).toBe(JSON.stringify(missing.body.error));
    },
  );

  it('should answer the hidden entity exactly as a missing one', async () => {
    const hidden = await send(
      'GET',
      `${API}/entities/component/default/hidden/status`,
    );
    const missing = await send(
      'GET',
      `${API}/entities/component/default/nosuch/status`,
    );

    expect(hidden.status).toBe(404);
    expect(
      JSON.stringify(hidden.body.error).replaceAll('hidden', 'nosuch'),
    ).toBe(JSON.stringify(missing.body.error));
  });
});
