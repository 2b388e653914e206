import {
  alreadyRestartedFor,
  lastReloadedFrom,
  restartAnnotation,
} from './restartAnnotation';
import { RELOADER_ANNOTATIONS } from './reloaderAnnotations';
import { WorkloadObject } from './types';

const NOW = new Date('2026-12-06T14:02:30.900Z');

function withTemplateAnnotations(
  annotations: Record<string, string>,
): WorkloadObject {
  return {
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: { template: { metadata: { annotations } } },
  };
}

describe('restartAnnotation (Reloader annotation strategy)', () => {
  it('is reloader.stakater.com/last-reloaded-from with a ReloadSource', () => {
    const annotation = restartAnnotation({
      secretName: 'db',
      namespace: 'team-a',
      dataHash: 'abc123',
      uses: [
        { container: 'app', init: false, via: 'env' },
        { container: 'app', init: false, via: 'volume' },
        { container: 'side', init: false, via: 'envFrom' },
        { container: 'migrate', init: true, via: 'env' },
      ],
      now: NOW,
    });
    expect(Object.keys(annotation)).toEqual([
      'reloader.stakater.com/last-reloaded-from',
    ]);
    expect(
      JSON.parse(annotation[RELOADER_ANNOTATIONS.lastReloadedFrom]),
    ).toEqual({
      type: 'SECRET',
      name: 'db',
      namespace: 'team-a',
      hash: 'abc123',
      containerRefs: ['app', 'side'],
      observedAt: Math.floor(NOW.getTime() / 1000),
    });
  });

  it('the same change is recognised as restarted already; another change is not', () => {
    const annotation = restartAnnotation({
      secretName: 'db',
      namespace: 'team-a',
      dataHash: 'h1',
      uses: [],
      now: NOW,
    });
    const w = withTemplateAnnotations(annotation);
    expect(alreadyRestartedFor(w, 'db', 'h1')).toBe(true);
    expect(alreadyRestartedFor(w, 'db', 'h2')).toBe(false);
    expect(alreadyRestartedFor(w, 'other', 'h1')).toBe(false);
  });

  it('a missing or malformed annotation means not restarted', () => {
    expect(alreadyRestartedFor(withTemplateAnnotations({}), 'db', 'h')).toBe(
      false,
    );
    const broken = withTemplateAnnotations({
      [RELOADER_ANNOTATIONS.lastReloadedFrom]: '{not json',
    });
    expect(lastReloadedFrom(broken)).toBeUndefined();
    expect(alreadyRestartedFor(broken, 'db', 'h')).toBe(false);
    expect(
      lastReloadedFrom(
        withTemplateAnnotations({
          [RELOADER_ANNOTATIONS.lastReloadedFrom]: '7',
        }),
      ),
    ).toBeUndefined();
  });
});
