import {
  createMockDirectory,
  mockServices,
  ServiceMock,
} from '@backstage/backend-test-utils';
import { UrlReaderService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { NotAllowedError } from '@backstage/errors';
import { Readable } from 'node:stream';
import request from 'supertest';
import { ManifestReader } from '../catalog/ManifestReader';
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
 * Hole 5 of issue #16: `file:` manifest locations were read from the local
 * disk below a folder the entity author could choose, outside UrlReader's
 * allow-list, with no size cap, and YAML errors quoted the file's lines.
 */

const CANARY = 'canary-hole05-line-content-7c41';
const MAX_BYTES = 256 * 1024;
const dir = createMockDirectory();

type ReadUrlResponse = Awaited<ReturnType<UrlReaderService['readUrl']>>;

function entity(annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'orders', namespace: 'default', annotations },
    spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
  };
}

function fileEntity(extra: Record<string, string> = {}) {
  return entity({
    'backstage.io/managed-by-location': `file:${dir.resolve(
      'team/catalog-info.yaml',
    )}`,
    ...extra,
  });
}

/** An endless stream of zeros that counts what was pulled from it. */
function endlessZeros() {
  const counter = { bytes: 0 };
  const stream = new Readable({
    read() {
      const chunk = Buffer.alloc(64 * 1024);
      counter.bytes += chunk.length;
      this.push(chunk);
    },
  });
  return { stream, counter };
}

describe('hole 5: manifest locations are read through UrlReader only, capped, and quote no content', () => {
  let urlReader: ServiceMock<UrlReaderService>;

  beforeEach(() => {
    dir.setContent({
      'team/catalog-info.yaml': 'kind: Component',
      'team/es.yaml': `kind: ExternalSecret # ${CANARY}`,
      'secret.txt': CANARY,
    });
    urlReader = mockServices.urlReader.mock();
    urlReader.readUrl.mockRejectedValue(
      new NotAllowedError("Reading from 'file:' is not allowed"),
    );
  });

  it('should not read a file: location from the local disk when UrlReader does not allow it', async () => {
    const [result] = await new ManifestReader(urlReader).read(
      fileEntity(),
      ['./es.yaml'],
      MAX_BYTES,
    );

    expect(urlReader.readUrl).toHaveBeenCalledWith(
      `file://${dir.resolve('team/es.yaml')}`,
    );
    expect(result.ok).toBe(false);
    expect(JSON.stringify(result)).not.toContain(CANARY);
  });

  it.each([
    ['/dev/zero'],
    ['file:///dev/zero'],
    ['../../../../../../../../dev/zero'],
    ['../secret.txt'],
    ['%2e%2e/secret.txt'],
  ])(
    'should refuse %s, outside the folder of the catalog-set location, without asking any reader',
    async location => {
      const [result] = await new ManifestReader(urlReader).read(
        fileEntity(),
        [location],
        MAX_BYTES,
      );
      expect(result).toMatchObject({
        ok: false,
        message: expect.stringContaining('outside the folder'),
      });
      expect(urlReader.readUrl).not.toHaveBeenCalled();
    },
  );

  it('should resolve against the catalog-set managed-by-location, not an author-set source-location', async () => {
    const [result] = await new ManifestReader(urlReader).read(
      fileEntity({
        'backstage.io/source-location': `file:${dir.resolve('any.yaml')}`,
      }),
      ['secret.txt'],
      MAX_BYTES,
    );
    expect(result.ok).toBe(false);
    expect(JSON.stringify(result)).not.toContain(CANARY);
    expect(urlReader.readUrl).not.toHaveBeenCalledWith(
      `file://${dir.resolve('secret.txt')}`,
    );
  });

  it('should refuse a URL that climbs out of the entity folder on the same host', async () => {
    const [result] = await new ManifestReader(urlReader).read(
      entity({
        'backstage.io/managed-by-location':
          'url:https://git.example.com/team-a/orders/blob/main/catalog-info.yaml',
      }),
      ['../../../../team-b/payments/blob/main/es.yaml'],
      MAX_BYTES,
    );
    expect(result).toMatchObject({
      ok: false,
      message: expect.stringContaining('outside the folder'),
    });
    expect(urlReader.readUrl).not.toHaveBeenCalled();
  });

  it('should stop reading an endless manifest at the size cap, quickly', async () => {
    const { stream, counter } = endlessZeros();
    urlReader.readUrl.mockResolvedValue({
      buffer: async () => {
        throw new Error('must not buffer an unbounded body');
      },
      stream: () => stream,
    } as ReadUrlResponse);
    const started = Date.now();

    const [result] = await new ManifestReader(urlReader).read(
      fileEntity(),
      ['./es.yaml'],
      MAX_BYTES,
    );

    expect(result).toMatchObject({
      ok: false,
      message: expect.stringContaining(
        'is larger than 262144 bytes (externalSecrets.manifests.maxBytes)',
      ),
    });
    expect(counter.bytes).toBeLessThanOrEqual(MAX_BYTES + 128 * 1024);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('should refuse a large manifest a reader can only buffer', async () => {
    urlReader.readUrl.mockResolvedValue({
      buffer: async () => Buffer.alloc(MAX_BYTES + 1, 'a'),
    } as ReadUrlResponse);
    const [result] = await new ManifestReader(urlReader).read(
      fileEntity(),
      ['./es.yaml'],
      MAX_BYTES,
    );
    expect(result).toMatchObject({
      ok: false,
      message: expect.stringContaining('is larger than 262144 bytes'),
    });
  });

  describe('a YAML syntax error on a line holding a canary', () => {
    let sim: KubernetesSimulator;
    let backend: ReconcilerTestBackend | undefined;

    beforeAll(async () => {
      sim = await startKubernetesSimulator();
    });
    afterAll(async () => sim.stop());
    afterEach(async () => {
      await backend?.stop();
      backend = undefined;
    });

    it('should report line, column and error code on the card, never the line', async () => {
      sim.reset();
      sim.seed({
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: 'team-a' },
      });
      const broken = `apiVersion: external-secrets.io/v1
kind: ExternalSecret
metadata:
  name: orders-db
  namespace: team-a
spec: { password: "${CANARY}
`;
      const reader = mockServices.urlReader.mock({
        readUrl: async () =>
          ({ buffer: async () => Buffer.from(broken) } as ReadUrlResponse),
      });
      backend = await startReconcilerTestBackend({
        sim,
        entities: [
          entity({
            'external-secrets.io/manifests': './es.yaml',
            'backstage.io/managed-by-location':
              'url:https://git.example.com/team-a/orders/blob/main/catalog-info.yaml',
          }),
        ],
        config: {
          manifests: {
            clusters: [{ name: 'test', allow: [{ namespaces: ['team-a'] }] }],
          },
        },
        extraFeatures: [reader.factory],
      });
      await backend.runCycle();
      const res = await request(backend.server).get(
        '/api/external-secrets/entities/component/default/orders/status',
      );

      expect(res.body.externalSecrets).toEqual([
        expect.objectContaining({
          state: 'Error',
          message: expect.stringMatching(
            /manifest \.\/es\.yaml document 0: YAML [A-Z_]+ at line \d+, column \d+/,
          ),
        }),
      ]);
      expect(JSON.stringify(res.body)).not.toContain(CANARY);
    });
  });
});
