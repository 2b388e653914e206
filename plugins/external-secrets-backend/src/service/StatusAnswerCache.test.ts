import { ExternalSecretStatusDto } from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import { StatusAnswerCache } from './StatusAnswerCache';

const answer = (name: string) =>
  [{ name }] as unknown as ExternalSecretStatusDto[];

describe('StatusAnswerCache (issue #22)', () => {
  it('should serve a kept answer only for the version it was built from', () => {
    const cache = new StatusAnswerCache(10);
    cache.set('component:default/a', 'v1', answer('db'));

    expect(cache.get('component:default/a', 'v1')).toEqual(answer('db'));
    expect(cache.get('component:default/a', 'v2')).toBeUndefined();
    expect(cache.get('component:default/b', 'v1')).toBeUndefined();
  });

  it('should drop the least recently used entity past its size', () => {
    const cache = new StatusAnswerCache(2);
    cache.set('a', 'v1', answer('a'));
    cache.set('b', 'v1', answer('b'));
    cache.get('a', 'v1');
    cache.set('c', 'v1', answer('c'));

    expect(cache.get('a', 'v1')).toEqual(answer('a'));
    expect(cache.get('b', 'v1')).toBeUndefined();
    expect(cache.get('c', 'v1')).toEqual(answer('c'));
  });
});
