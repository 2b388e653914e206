import { SecretStore } from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import { ClusterClient } from '../kubernetes/ClusterClient';
import { ClusterConfig } from '../kubernetes/ClusterConfig';
import { ClusterInventory } from './ClusterInventory';
import { observedStatus } from './storeValidationResults';
import { storesToValidate } from './storeValidationTargets';

function store(name: string, controller?: string): SecretStore {
  return {
    apiVersion: 'external-secrets.io/v1',
    kind: 'ClusterSecretStore',
    metadata: { name },
    spec: { controller, provider: { infisical: {} } },
  } as unknown as SecretStore;
}

function inventory(
  config: Partial<ClusterConfig>,
  stores: SecretStore[],
): ClusterInventory {
  return {
    config: {
      name: 'dev',
      mode: 'reconcile',
      esoFree: false,
      ...config,
    } as ClusterConfig,
    client: {} as ClusterClient,
    externalSecrets: [],
    stores,
    invalidStores: [],
    namespaces: new Map(),
  };
}

describe('storesToValidate', () => {
  it('leaves stores of another controller class to ESO, validates ours', () => {
    const targets = storesToValidate({
      inventories: [
        inventory({}, [store('ours', 'backstage'), store('eso-default')]),
      ],
      configStores: [],
      controllerClass: 'backstage',
    });
    expect(targets.map(t => [t.record.name, t.observed])).toEqual([
      ['ours', false],
      ['eso-default', true],
    ]);
  });

  it('validates every store of an ESO-free cluster, none of an observed one', () => {
    const targets = storesToValidate({
      inventories: [
        inventory({ name: 'free', esoFree: true }, [store('a')]),
        inventory({ name: 'watched', mode: 'observe' }, [
          store('b', 'backstage'),
        ]),
      ],
      configStores: [],
      controllerClass: 'backstage',
    });
    expect(targets.map(t => [t.record.cluster, t.observed])).toEqual([
      ['free', false],
      ['watched', true],
    ]);
  });

  it('validates app-config stores through a readable reconcile-mode cluster', () => {
    const observedCluster = inventory({ name: 'watched', mode: 'observe' }, []);
    const reconciled = inventory({ name: 'dev' }, []);
    const [target] = storesToValidate({
      inventories: [observedCluster, reconciled],
      configStores: [store('from-config')],
      controllerClass: 'backstage',
    });
    expect(target.record).toEqual({
      cluster: '',
      kind: 'ClusterSecretStore',
      namespace: '',
      name: 'from-config',
      origin: 'config',
    });
    expect(target.cluster).toBe(reconciled.client);
    expect(target.cluster).not.toBe(observedCluster.client);
  });

  it('records a store manifest that could not be parsed with its issues', () => {
    const inv = inventory({}, []);
    inv.invalidStores.push({
      kind: 'SecretStore',
      namespace: 'team-a',
      name: 'broken',
      issues: [
        { path: 'spec', message: 'spec.provider is required' },
        { path: 'kind', message: 'second issue' },
      ] as any,
    });
    const [target] = storesToValidate({
      inventories: [inv],
      configStores: [],
      controllerClass: 'backstage',
    });
    expect(target.store).toBeUndefined();
    expect(target.record.namespace).toBe('team-a');
    expect(target.invalid).toBe('spec.provider is required; second issue');
  });
});

describe('observedStatus', () => {
  it("reports ESO's Ready condition as ESO reports it", () => {
    const s = store('a');
    s.status = {
      conditions: [
        {
          type: 'Ready',
          status: 'False',
          reason: 'InvalidProviderConfig',
          message: 'bad token',
        },
      ],
    } as any;
    expect(observedStatus(s)).toEqual({
      ready: false,
      provider: 'infisical',
      reason: 'InvalidProviderConfig',
      message: 'as ESO reports it: bad token',
    });
  });

  it('is not ready while ESO has reported no Ready condition', () => {
    expect(observedStatus(store('a'))).toMatchObject({
      ready: false,
      reason: 'Observed',
    });
  });
});
