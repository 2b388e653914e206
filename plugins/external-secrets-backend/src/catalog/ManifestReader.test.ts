import {
  createMockDirectory,
  mockServices,
} from '@backstage/backend-test-utils';
import { UrlReaderService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { Readable } from 'node:stream';
import { LocalFileUrlReader } from '@external-secrets-backstage/backstage-plugin-external-secrets-test-utils';
import { ManifestReader } from './ManifestReader';

const dir = createMockDirectory();
type ReadUrlResponse = Awaited<ReturnType<UrlReaderService['readUrl']>>;

function entity(annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'orders-service', annotations },
    spec: {},
  };
}

const GIT_LOCATION =
  'url:https://git.example.com/org/orders/blob/main/catalog-info.yaml';

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

  it('should read a path relative to a file location through a UrlReader registered for local files', async () => {
    const local = new LocalFileUrlReader([dir.resolve('catalog')]);
    const reader = new ManifestReader(local);
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

  it('should refuse a relative path that leaves the folder of the file location', async () => {
    const reader = new ManifestReader(urlReader);
    const [result] = await reader.read(
      entity({
        'backstage.io/managed-by-location': `file:${dir.resolve(
          'catalog/entities.yaml',
        )}`,
      }),
      ['../secret.txt'],
    );
    expect(result).toMatchObject({
      ok: false,
      message: expect.stringContaining(
        'manifest "../secret.txt" (annotation external-secrets.io/manifests) resolves outside the folder',
      ),
    });
    expect(urlReader.readUrl).not.toHaveBeenCalled();
  });

  it('should resolve a relative path against the managed-by location with the UrlReader', async () => {
    urlReader.readUrl.mockResolvedValue({
      buffer: async () => Buffer.from('kind: ExternalSecret'),
    } as ReadUrlResponse);
    const reader = new ManifestReader(urlReader);
    const [result] = await reader.read(
      entity({ 'backstage.io/managed-by-location': GIT_LOCATION }),
      ['deploy/es.yaml'],
    );
    expect(urlReader.readUrl).toHaveBeenCalledWith(
      'https://git.example.com/org/orders/blob/main/deploy/es.yaml',
    );
    expect(result.ok).toBe(true);
  });

  it('should fall back to a url: source-location when there is no managed-by location', async () => {
    urlReader.readUrl.mockResolvedValue({
      buffer: async () => Buffer.from('kind: ExternalSecret'),
    } as ReadUrlResponse);
    const [result] = await new ManifestReader(urlReader).read(
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

  it('should accept an absolute URL inside the entity folder and refuse one elsewhere', async () => {
    urlReader.readUrl.mockResolvedValue({
      buffer: async () => Buffer.from('ok'),
    } as ReadUrlResponse);
    const results = await new ManifestReader(urlReader).read(
      entity({ 'backstage.io/managed-by-location': GIT_LOCATION }),
      [
        'https://git.example.com/org/orders/blob/main/es.yaml',
        'https://git.example.com/org/payments/blob/main/es.yaml',
      ],
    );
    expect(results.map(r => r.ok)).toEqual([true, false]);
  });

  it('should report an unreadable URL with the reader error, without failing the others', async () => {
    urlReader.readUrl.mockRejectedValueOnce(
      new Error('NotFoundError: 404 for x.yaml'),
    );
    urlReader.readUrl.mockResolvedValueOnce({
      buffer: async () => Buffer.from('ok'),
    } as ReadUrlResponse);
    const reader = new ManifestReader(urlReader);
    const results = await reader.read(
      entity({ 'backstage.io/managed-by-location': GIT_LOCATION }),
      ['x.yaml', 'y.yaml'],
    );
    expect(results).toEqual([
      {
        location: 'x.yaml',
        ok: false,
        message:
          'manifest "x.yaml" (annotation external-secrets.io/manifests) NotFoundError: 404 for x.yaml',
      },
      { location: 'y.yaml', ok: true, text: 'ok' },
    ]);
  });

  it('should explain a location on an entity without a catalog location', async () => {
    const [result] = await new ManifestReader(urlReader).read(entity({}), [
      'es.yaml',
    ]);
    expect(result).toMatchObject({
      ok: false,
      message: expect.stringContaining(
        'has no backstage.io/managed-by-location',
      ),
    });
  });

  it('should read a streamed manifest up to the cap', async () => {
    urlReader.readUrl.mockResolvedValue({
      buffer: async () => Buffer.alloc(0),
      stream: () => Readable.from([Buffer.from('kind: '), Buffer.from('ES')]),
    } as ReadUrlResponse);
    const [result] = await new ManifestReader(urlReader).read(
      entity({ 'backstage.io/managed-by-location': GIT_LOCATION }),
      ['es.yaml'],
      8,
    );
    expect(result).toEqual({ location: 'es.yaml', ok: true, text: 'kind: ES' });
  });
});

describe('LocalFileUrlReader', () => {
  beforeEach(() => {
    dir.setContent({ 'root/a.yaml': 'a', 'other/b.yaml': 'b' });
  });

  it('should read regular files below its roots only', async () => {
    const local = new LocalFileUrlReader([dir.resolve('root')]);
    const a = await local.readUrl(`file://${dir.resolve('root/a.yaml')}`);
    expect((await a.buffer()).toString()).toBe('a');
    await expect(
      local.readUrl(`file://${dir.resolve('other/b.yaml')}`),
    ).rejects.toThrow('outside the local file roots');
  });

  it('should refuse a device file such as /dev/zero', async () => {
    const local = new LocalFileUrlReader(['/dev']);
    await expect(local.readUrl('file:///dev/zero')).rejects.toThrow(
      'not a file',
    );
  });
});
