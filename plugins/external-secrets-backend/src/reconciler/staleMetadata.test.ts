import { staleKeys } from './staleMetadata';

/**
 * ESO's setMetadata (pkg/controllers/externalsecret/externalsecret_controller_template.go)
 * deletes the labels and annotations its ExternalSecret's field manager owns
 * (templating.GetManagedLabelKeys / GetManagedAnnotationKeys, read from
 * managedFields), then merges what it produces now.
 */
describe('staleKeys', () => {
  const produced = { labels: ['tier'], annotations: [] };

  it("should find the keys the ExternalSecret's field manager owns and no longer produces (a Secret ESO wrote)", () => {
    const stale = staleKeys(undefined, produced, {
      labels: ['tier', 'team', 'reconcile.external-secrets.io/managed'],
      annotations: ['docs/url', 'reconcile.external-secrets.io/data-hash'],
      data: ['password'],
    });
    expect(stale).toEqual({ labels: ['team'], annotations: ['docs/url'] });
  });

  it('should still find the keys recorded before the field manager was per ExternalSecret', () => {
    const stale = staleKeys(
      { labels: ['old'], annotations: ['note'] },
      produced,
      { labels: ['team'], annotations: [], data: [] },
    );
    expect(stale).toEqual({ labels: ['old', 'team'], annotations: ['note'] });
  });
});
