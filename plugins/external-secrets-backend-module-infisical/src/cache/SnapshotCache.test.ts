import { ScopeSnapshot } from '../provider/ScopeSnapshot';
import { SnapshotCache } from './SnapshotCache';

const entry = (etag: string) => ({
  etag,
  version: 'v4' as const,
  snapshot: ScopeSnapshot.fromWire({ secrets: [], imports: [] }, '/'),
});

describe('SnapshotCache', () => {
  it('should evict the least recently used entry beyond its size', () => {
    const cache = new SnapshotCache(2);
    cache.set('a', entry('"a"'));
    cache.set('b', entry('"b"'));
    cache.get('a');
    cache.set('c', entry('"c"'));

    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')?.etag).toBe('"a"');
    expect(cache.get('c')?.etag).toBe('"c"');
  });
});
