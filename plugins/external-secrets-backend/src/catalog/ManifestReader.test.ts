import {
  createMockDirectory,
  mockServices,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { ManifestReader } from './ManifestReader';

const dir = createMockDirectory();

function entity(annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'orders-service', annotations },
    spec: {},
  };
}

describe('ManifestReader', () => {
  const urlReader = mockServices.urlReader.mock();

  beforeEach(() => {
    dir.setContent({
      'catalog/entities.yaml': 'kind: Component',
      'catalog/kubernetes/es.yaml': 'kind: ExternalSecret',
      'secret.txt': 'outside',
    });
    urlReader.readUrl.mockReset();
  });

  it('should read a path relative to a file location', async () => {
    const reader = new ManifestReader(urlReader);
    const [result] = await reader.read(
      entity({
        'backstage.io/managed-by-location': `file:${dir.resolve(
          'catalog/entities.yaml',
        )}`,
      }),
      ['./kubernetes/es.yaml'],
    );
    expect(result).toEqual({
      location: './kubernetes/es.yaml',
      ok: true,
      text: 'kind: ExternalSecret',
    });
  });

  it('should refuse a relative path that leaves the file location folder', async () => {
    const reader = new ManifestReader(urlReader);
    const [result] = await reader.read(
      entity({
        'backstage.io/managed-by-location': `file:${dir.resolve(
          'catalog/entities.yaml',
        )}`,
      }),
      ['../secret.txt'],
    );
    expect(result.ok).toBe(false);
    expect(result).toMatchObject({
      message: expect.stringContaining(
        'manifest "../secret.txt" (annotation external-secrets.io/manifests) leaves the folder',
      ),
    });
  });

  it('should resolve a relative path against the source location with the UrlReader', async () => {
    urlReader.readUrl.mockResolvedValue({
      buffer: async () => Buffer.from('kind: ExternalSecret'),
    });
    const reader = new ManifestReader(urlReader);
    const [result] = await reader.read(
      entity({
        'backstage.io/source-location':
          'url:https://git.example.com/org/orders/tree/main/',
      }),
      ['deploy/es.yaml'],
    );
    expect(urlReader.readUrl).toHaveBeenCalledWith(
      'https://git.example.com/org/orders/tree/main/deploy/es.yaml',
    );
    expect(result.ok).toBe(true);
  });

  it('should report an unreadable URL with the reader error, without failing the others', async () => {
    urlReader.readUrl.mockRejectedValueOnce(
      new Error('NotFoundError: 404 for https://git.example.com/x.yaml'),
    );
    urlReader.readUrl.mockResolvedValueOnce({
      buffer: async () => Buffer.from('ok'),
    });
    const reader = new ManifestReader(urlReader);
    const results = await reader.read(entity({}), [
      'https://git.example.com/x.yaml',
      'https://git.example.com/y.yaml',
    ]);
    expect(results).toEqual([
      {
        location: 'https://git.example.com/x.yaml',
        ok: false,
        message:
          'manifest "https://git.example.com/x.yaml" (annotation external-secrets.io/manifests) NotFoundError: 404 for https://git.example.com/x.yaml',
      },
      { location: 'https://git.example.com/y.yaml', ok: true, text: 'ok' },
    ]);
  });

  it('should explain a relative path on an entity without a location', async () => {
    const [result] = await new ManifestReader(urlReader).read(entity({}), [
      'es.yaml',
    ]);
    expect(result).toMatchObject({
      ok: false,
      message: expect.stringContaining('has no backstage.io/source-location'),
    });
  });
});
