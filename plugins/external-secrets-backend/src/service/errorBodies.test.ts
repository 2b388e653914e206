import request from 'supertest';
import {
  KubernetesSimulator,
  startKubernetesSimulator,
} from '../testUtils/kubernetes';
import {
  ReconcilerTestBackend,
  startReconcilerTestBackend,
} from '../__testUtils__/startReconcilerTestBackend';

jest.setTimeout(60_000);

/**
 * Error answers carry the cause, never a stack trace with server paths, even
 * where NODE_ENV is `development` (`yarn start`, the demo) and Backstage's
 * default error handler would add one (issue #19 item 10).
 */
describe('error responses', () => {
  let sim: KubernetesSimulator;
  let backend: ReconcilerTestBackend;
  const nodeEnv = process.env.NODE_ENV;

  beforeAll(async () => {
    process.env.NODE_ENV = 'development';
    sim = await startKubernetesSimulator();
    backend = await startReconcilerTestBackend({ sim, entities: [] });
  });

  afterAll(async () => {
    process.env.NODE_ENV = nodeEnv;
    await backend.stop();
    await sim.stop();
  });

  it.each([
    [
      'an unknown entity (404)',
      'get',
      '/entities/component/default/nope/status',
    ],
    ['a bad body (400)', 'post', '/entities/component/default/nope/sync'],
  ] as const)(
    'should answer %s without a stack trace',
    async (_, verb, path) => {
      const call = request(backend.server)[verb](
        `/api/external-secrets${path}`,
      );
      const res = await (verb === 'post'
        ? call.set('Content-Type', 'application/json').send('{"broken":')
        : call);

      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.body.error.message).toEqual(expect.any(String));
      expect(res.body.error.stack).toBeUndefined();
      expect(JSON.stringify(res.body)).not.toMatch(/\s+at .+\.(ts|js):\d+/);
    },
  );
});
