import { KubeConfig, Watch } from '@kubernetes/client-node';
import {
  KubernetesSimulator,
  startKubernetesSimulator,
} from './startKubernetesSimulator';

type Seen = { type: string; name?: string; rv?: string; code?: number };

/**
 * The apiserver's watch protocol, as `@kubernetes/client-node`'s Watch (what
 * the plugin uses) sees it: events after a resourceVersion, label selectors,
 * deletions at their own resourceVersion, bookmarks, and 410 Gone for a
 * resourceVersion older than the retained history.
 */
describe('Kubernetes simulator watch', () => {
  let sim: KubernetesSimulator;
  let watch: Watch;
  const open: AbortController[] = [];

  beforeAll(async () => {
    sim = await startKubernetesSimulator({ token: 'watch-token' });
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromString(sim.kubeconfig());
    watch = new Watch(kubeConfig);
  });
  afterEach(() => {
    for (const controller of open.splice(0)) controller.abort();
    sim.reset();
  });
  afterAll(() => sim.stop());

  function secret(name: string, labels: Record<string, string> = {}) {
    return {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name, namespace: 'team-a', labels },
      data: { k: Buffer.from('v').toString('base64') },
    };
  }

  async function start(
    path: string,
    query: Record<string, string | boolean>,
  ): Promise<{ seen: Seen[]; ended: Promise<unknown> }> {
    const seen: Seen[] = [];
    let end: (e: unknown) => void = () => undefined;
    const ended = new Promise(resolve => {
      end = resolve;
    });
    open.push(
      await watch.watch(
        path,
        query,
        (type, object) =>
          seen.push({
            type,
            name: object?.metadata?.name,
            rv: object?.metadata?.resourceVersion,
            code: object?.code,
          }),
        e => end(e ?? 'closed'),
      ),
    );
    return { seen, ended };
  }

  const expectEventually = async (check: () => boolean) => {
    for (let i = 0; i < 100 && !check(); i++)
      await new Promise(r => setTimeout(r, 20));
    expect(check()).toBe(true);
  };

  it('streams the changes after a resourceVersion that match the label selector', async () => {
    sim.seed(secret('before', { managed: 'true' }));
    const from = sim.resourceVersion;
    const { seen } = await start('/api/v1/secrets', {
      resourceVersion: from,
      labelSelector: 'managed=true',
    });
    sim.seed(secret('ours', { managed: 'true' }));
    sim.seed(secret('not-ours'));
    sim.remove({ kind: 'Secret', namespace: 'team-a', name: 'ours' });
    await expectEventually(() => seen.length >= 2);
    expect(seen.map(e => [e.type, e.name])).toEqual([
      ['ADDED', 'ours'],
      ['DELETED', 'ours'],
    ]);
    // The deletion has its own resourceVersion, after the object's last one.
    expect(Number(seen[1].rv)).toBeGreaterThan(Number(seen[0].rv));
  });

  it('replays retained events after an older resourceVersion', async () => {
    const from = sim.resourceVersion;
    sim.seed(secret('missed'));
    const { seen } = await start('/api/v1/namespaces/team-a/secrets', {
      resourceVersion: from,
    });
    await expectEventually(() => seen.some(e => e.name === 'missed'));
    expect(seen[0]).toMatchObject({ type: 'ADDED', name: 'missed' });
  });

  it('answers 410 Gone for a resourceVersion the history no longer holds', async () => {
    const from = sim.resourceVersion;
    sim.seed(secret('a'));
    sim.compactWatchHistory();
    const { seen, ended } = await start('/api/v1/secrets', {
      resourceVersion: from,
    });
    await ended;
    expect(seen).toEqual([{ type: 'ERROR', code: 410 }]);
  });

  it('sends bookmarks with the current resourceVersion when asked', async () => {
    sim.seed(secret('a'));
    const { seen } = await start(
      '/apis/external-secrets.io/v1/externalsecrets',
      { resourceVersion: sim.resourceVersion, allowWatchBookmarks: true },
    );
    await expectEventually(() => seen.some(e => e.type === 'BOOKMARK'));
    expect(seen.find(e => e.type === 'BOOKMARK')?.rv).toBe(sim.resourceVersion);
  });

  it('ends open streams when asked (a dropped connection)', async () => {
    const { ended } = await start('/api/v1/secrets', {
      resourceVersion: sim.resourceVersion,
    });
    sim.closeWatches();
    await expect(ended).resolves.toBeDefined();
  });
});
