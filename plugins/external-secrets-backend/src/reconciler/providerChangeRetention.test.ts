import {
  PROVIDER_CHANGE_RETENTION_MS,
  handledProviderChanges,
} from './providerChangeRetention';

const NOW = new Date('2026-12-06T12:00:00.000Z');
const ago = (ms: number) => new Date(NOW.getTime() - ms);
const changes = [
  { id: 1, receivedAt: ago(PROVIDER_CHANGE_RETENTION_MS + 60_000) },
  { id: 2, receivedAt: ago(PROVIDER_CHANGE_RETENTION_MS + 1_000) },
  { id: 3, receivedAt: ago(60_000) },
];

describe('handledProviderChanges', () => {
  it('lets a cycle over every cluster delete every notice it saw', () => {
    expect(
      handledProviderChanges({
        changes,
        now: NOW,
        scope: undefined,
        clusterCount: 3,
      }),
    ).toBe(3);
  });

  it("lets the only cluster's cycle delete every notice it saw", () => {
    expect(
      handledProviderChanges({
        changes,
        now: NOW,
        scope: { cluster: 'dev' },
        clusterCount: 1,
      }),
    ).toBe(3);
  });

  it("keeps recent notices for the other clusters' cycles", () => {
    expect(
      handledProviderChanges({
        changes,
        now: NOW,
        scope: { cluster: 'dev' },
        clusterCount: 2,
      }),
    ).toBe(2);
  });

  it('deletes nothing after a watch-triggered cycle', () => {
    expect(
      handledProviderChanges({
        changes,
        now: NOW,
        scope: { cluster: 'dev', only: new Set(['team-a/db']) },
        clusterCount: 1,
      }),
    ).toBeUndefined();
  });

  it('deletes nothing when no notice is old enough', () => {
    expect(
      handledProviderChanges({
        changes: [changes[2]],
        now: NOW,
        scope: { cluster: 'dev' },
        clusterCount: 2,
      }),
    ).toBeUndefined();
  });
});
