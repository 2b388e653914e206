import { SecretStore } from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import { SecretsProvider } from '@external-secrets-backstage/backstage-plugin-external-secrets-node';
import { StorePropagation } from '../config/readPropagationConfig';
import { ProviderChangeRecord } from '../database/StatusStore';
import { PropagationPlan } from './PropagationPlan';
import { ResolvedStore } from './StoreResolver';

const NOW = new Date('2026-11-23T12:00:00.000Z');
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000);

function resolved(
  kind: 'SecretStore' | 'ClusterSecretStore',
  name: string,
  affects?: (change: ProviderChangeRecord) => boolean,
): ResolvedStore {
  const provider = {
    name: 'infisical',
    ...(affects && {
      changeAffectsStore: (_s: SecretStore, c: ProviderChangeRecord) =>
        affects(c),
    }),
  } as unknown as SecretsProvider;
  return {
    store: { kind, metadata: { name }, spec: { provider: {} } } as SecretStore,
    provider,
    origin: 'cluster',
    key: name,
    refKey: `${kind}/${name}`,
  };
}

function change(id: number, at: Date, environment = 'prod') {
  return {
    id,
    provider: 'infisical',
    scope: { environment },
    receivedAt: at,
  };
}

function plan(
  stores: Partial<StorePropagation>[],
  changes: ProviderChangeRecord[] = [],
) {
  return new PropagationPlan(
    {
      stores: stores.map(s => ({
        kind: 'ClusterSecretStore',
        name: 'infisical',
        webhook: false,
        ...s,
      })),
      webhooks: {},
    },
    changes,
  );
}

const ask = (
  p: PropagationPlan,
  stores: ResolvedStore[],
  lastAttemptAt?: Date,
  where = { cluster: 'prod', namespace: 'payments' },
) => p.trigger({ stores, ...where, lastAttemptAt, now: NOW });

describe('PropagationPlan', () => {
  const store = resolved('ClusterSecretStore', 'infisical');

  it('should trigger nothing for a store that did not opt in', () => {
    const p = plan([], [change(1, minutesAgo(1))]);
    expect(ask(p, [store], minutesAgo(5))).toBeUndefined();
  });

  it('should trigger on a change received after the last attempt, and not on older ones', () => {
    const p = plan([{ webhook: true }], [change(1, minutesAgo(3))]);
    expect(ask(p, [store], minutesAgo(5))).toBe('webhook');
    expect(ask(p, [store], minutesAgo(2))).toBeUndefined();
    expect(ask(p, [store], undefined)).toBe('webhook');
  });

  it('should ask the provider whether the change concerns the store', () => {
    const prodOnly = resolved(
      'ClusterSecretStore',
      'infisical',
      c => c.scope.environment === 'prod',
    );
    const staging = plan(
      [{ webhook: true }],
      [change(1, minutesAgo(1), 'staging')],
    );
    const prod = plan([{ webhook: true }], [change(1, minutesAgo(1), 'prod')]);
    expect(ask(staging, [prodOnly], minutesAgo(5))).toBeUndefined();
    expect(ask(prod, [prodOnly], minutesAgo(5))).toBe('webhook');
  });

  it('should poll once the interval has passed since the last attempt', () => {
    const p = plan([{ pollIntervalMs: 5 * 60_000 }]);
    expect(ask(p, [store], minutesAgo(4))).toBeUndefined();
    expect(ask(p, [store], minutesAgo(5))).toBe('poll');
    expect(ask(p, [store], undefined)).toBe('poll');
  });

  it('should poll on a tick that starts a few seconds early', () => {
    const p = plan([{ pollIntervalMs: 60_000 }]);
    const secondsAgo = (sec: number) => new Date(NOW.getTime() - sec * 1000);
    expect(ask(p, [store], secondsAgo(56))).toBe('poll');
    expect(ask(p, [store], secondsAgo(54))).toBeUndefined();
  });

  it('should prefer the webhook reason when both apply', () => {
    const p = plan(
      [{ webhook: true, pollIntervalMs: 60_000 }],
      [change(1, minutesAgo(1))],
    );
    expect(ask(p, [store], minutesAgo(10))).toBe('webhook');
  });

  it.each([
    ['another cluster', { cluster: 'staging' }, undefined],
    ['the same cluster', { cluster: 'prod' }, 'poll'],
    ['any cluster', {}, 'poll'],
  ])('should match an entry limited to %s', (_name, limit, expected) => {
    const p = plan([{ pollIntervalMs: 60_000, ...limit }]);
    expect(ask(p, [store], minutesAgo(2))).toBe(expected);
  });

  it('should match a SecretStore entry by namespace', () => {
    const namespaced = resolved('SecretStore', 'infisical');
    const p = plan([
      { kind: 'SecretStore', namespace: 'payments', pollIntervalMs: 60_000 },
    ]);
    expect(ask(p, [namespaced], minutesAgo(2))).toBe('poll');
    expect(
      ask(p, [namespaced], minutesAgo(2), {
        cluster: 'prod',
        namespace: 'web',
      }),
    ).toBeUndefined();
    expect(ask(p, [store], minutesAgo(2))).toBeUndefined();
  });

  it('should name the newest change it acts on', () => {
    expect(plan([]).lastChangeId).toBeUndefined();
    expect(
      plan([], [change(4, minutesAgo(2)), change(9, minutesAgo(1))])
        .lastChangeId,
    ).toBe(9);
  });
});
