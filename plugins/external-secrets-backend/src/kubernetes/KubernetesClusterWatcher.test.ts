import {
  KubernetesSimulator,
  startKubernetesSimulator,
} from '../testUtils/kubernetes';
import { ResourceWatch, WatchChange } from './ClusterWatcher';
import { SecretValue } from '@external-secrets-backstage/backstage-plugin-external-secrets-node';
import { ClusterWatcher } from './ClusterWatcher';
import { KubernetesClusterClient } from './KubernetesClusterClient';
import { UnparsedKubernetesObject } from './types';

const CANARY = 'watch-canary-5d1e';

function externalSecret(name: string, generation = 1) {
  return {
    apiVersion: 'external-secrets.io/v1',
    kind: 'ExternalSecret',
    metadata: { name, namespace: 'team-a', generation },
    spec: {
      secretStoreRef: { kind: 'ClusterSecretStore', name: 'store' },
      target: { name },
      data: [{ secretKey: 'k', remoteRef: { key: 'K' } }],
    },
  };
}

function managedSecret(name: string) {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name,
      namespace: 'team-a',
      labels: { 'reconcile.external-secrets.io/managed': 'true' },
    },
    data: { k: Buffer.from(CANARY).toString('base64') },
  };
}

/** The list-then-watch loop against the simulator's apiserver watch protocol. */
describe('KubernetesClusterWatcher', () => {
  let sim: KubernetesSimulator;
  let watcher: ClusterWatcher;
  const running: ResourceWatch[] = [];

  beforeAll(async () => {
    sim = await startKubernetesSimulator();
  });
  beforeEach(() => {
    sim.reset();
    const client = KubernetesClusterClient.fromConfig(
      {
        name: 'sim',
        connection: {
          type: 'serviceAccount',
          url: sim.url,
          token: SecretValue.fromString(sim.token),
          skipTLSVerify: false,
        },
      },
      // A short backoff so the retry tests stay quick.
      { watch: { minBackoffMs: 20 } },
    );
    watcher = client.watcher;
  });
  afterEach(() => running.splice(0).forEach(w => w.stop()));
  afterAll(() => sim.stop());

  function start(
    resource: 'externalsecrets' | 'secrets',
    labelSelector?: string,
  ) {
    const lists: { names: string[]; relisted: boolean }[] = [];
    const changes: WatchChange[] = [];
    const errors: Error[] = [];
    const watch = watcher.watch(
      resource,
      { labelSelector },
      {
        onList: (objects: UnparsedKubernetesObject[], relisted) =>
          lists.push({ names: objects.map(o => o.metadata.name), relisted }),
        onChange: change => changes.push(change),
        onError: error => errors.push(error),
      },
    );
    running.push(watch);
    return { watch, lists, changes, errors };
  }

  const expectEventually = async (check: () => boolean) => {
    for (let i = 0; i < 200 && !check(); i++)
      await new Promise(r => setTimeout(r, 10));
    expect(check()).toBe(true);
  };

  it('lists once, then delivers each change after the list', async () => {
    sim.seed(externalSecret('listed'));
    const { watch, lists, changes } = start('externalsecrets');
    await watch.listed;
    expect(lists).toEqual([{ names: ['listed'], relisted: false }]);
    sim.seed(externalSecret('applied'));
    sim.remove({ kind: 'ExternalSecret', namespace: 'team-a', name: 'listed' });
    await expectEventually(() => changes.length === 2);
    expect(changes.map(c => [c.type, c.object.metadata.name])).toEqual([
      ['ADDED', 'applied'],
      ['DELETED', 'listed'],
    ]);
  });

  it('lists managed Secrets as metadata only (no value leaves the apiserver on a list)', async () => {
    sim.seed(managedSecret('db'));
    const { watch, lists } = start(
      'secrets',
      'reconcile.external-secrets.io/managed=true',
    );
    await watch.listed;
    expect(lists[0].names).toEqual(['db']);
    const list = sim.requests.find(r => r.verb === 'list');
    expect(list?.accept).toContain('as=PartialObjectMetadataList');
  });

  it('resumes from the last resourceVersion after a dropped connection, without listing again', async () => {
    const { watch, changes } = start('externalsecrets');
    await watch.listed;
    sim.closeWatches();
    sim.seed(externalSecret('while-reconnecting'));
    await expectEventually(() => changes.length === 1);
    expect(changes[0].object.metadata.name).toBe('while-reconnecting');
    expect(sim.requests.filter(r => r.verb === 'list')).toHaveLength(1);
  });

  it('lists again after 410 Gone and hands the listener the objects changed meanwhile', async () => {
    sim.seed(externalSecret('kept'));
    const { watch, lists } = start('externalsecrets');
    await watch.listed;
    sim.closeWatches();
    sim.seed(externalSecret('missed'));
    sim.compactWatchHistory();
    await expectEventually(() => lists.length === 2);
    expect(lists[1]).toEqual({ names: ['kept', 'missed'], relisted: true });
  });

  it('retries a failing list with backoff and reports the cause', async () => {
    sim.injectFault({ verb: 'list', status: 503, times: 2 });
    const { watch, lists, errors } = start('externalsecrets');
    await expectEventually(() => lists.length === 1);
    await watch.listed;
    expect(errors).toHaveLength(2);
    expect(errors[0].message).toMatch(/503|unavailable/i);
  });
});
