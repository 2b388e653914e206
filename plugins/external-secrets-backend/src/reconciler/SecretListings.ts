import { LABEL_MANAGED } from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import pLimit from 'p-limit';
import { KubernetesSecret } from '../kubernetes/types';
import { WorkItem } from './WorkItem';

type SecretListing = Map<string, Promise<Map<string, KubernetesSecret>>>;
type SecretNames = Map<string, Promise<Set<string> | undefined>>;

const listNow = <T>(fn: () => Promise<T>) => fn();

/**
 * The Secrets a cycle reads, listed once per namespace: the managed Secrets
 * (full objects, by label) and, only when a target is missing from them, the
 * names of every Secret in the namespace (metadata only). One instance per
 * cycle: the lists are that cycle's view of the cluster.
 */
export class SecretListings {
  private readonly lists: SecretListing = new Map();
  private readonly names: SecretNames = new Map();

  /**
   * Starts the managed-Secret list of every namespace with ExternalSecrets to
   * reconcile, a few at a time, before the ExternalSecrets are worked through.
   * Items are handled namespace by namespace, so without this every namespace's
   * list is a round trip during which all item slots wait (seen in request
   * traces: one apiserver latency per namespace per cycle, so 100 namespaces
   * cost ~2.5 s at 20 ms).
   * Observe-mode clusters are skipped: there only Secret metadata is read.
   */
  prefetchSecretLists(items: WorkItem[], concurrency: number) {
    const limit = pLimit(concurrency);
    for (const item of items) {
      if (item.inventory.config.mode !== 'reconcile' || item.error) continue;
      // Failures surface to the items that await the list, not as unhandled rejections.
      managedSecrets(item, this.lists, limit).catch(() => undefined);
    }
  }

  /**
   * Managed Secrets come from one list per namespace. A target missing from it
   * is looked up in the namespace's Secret NAMES (metadata only, listed once,
   * and only when some target is missing: a first cycle, a new ExternalSecret),
   * so creating a thousand Secrets does not cost a thousand 404 reads first. A
   * Secret of that name that we do not manage is then read on its own.
   */
  async currentSecret(
    item: WorkItem,
    name: string,
  ): Promise<KubernetesSecret | undefined> {
    const managed = (await managedSecrets(item, this.lists, listNow)).get(name);
    if (managed) return managed;
    const existing = await secretNamesOf(item, this.names);
    if (existing && !existing.has(name)) return undefined;
    return item.inventory.client.getSecret(item.namespace, name);
  }
}

/** Names of every Secret in the namespace; undefined when they cannot be listed. */
function secretNamesOf(
  item: WorkItem,
  names: SecretNames,
): Promise<Set<string> | undefined> {
  // Without the list, each lookup falls back to a GET that reports the real cause.
  return oncePerNamespace(names, item, () =>
    item.inventory.client
      .listSecretsMetadata({ namespace: item.namespace })
      .then(
        secrets => new Set(secrets.map(s => s.name)),
        () => undefined,
      ),
  );
}

/** The namespace's managed Secrets, listed once per cycle. */
function managedSecrets(
  item: WorkItem,
  lists: SecretListing,
  schedule: <T>(fn: () => Promise<T>) => Promise<T>,
): Promise<Map<string, KubernetesSecret>> {
  return oncePerNamespace(lists, item, () =>
    schedule(() =>
      item.inventory.client.listSecrets({
        namespace: item.namespace,
        labelSelector: `${LABEL_MANAGED}=true`,
      }),
    ).then(secrets => new Map(secrets.map(s => [s.metadata.name, s]))),
  );
}

/** The first caller for the item's cluster/namespace loads; the others share it. */
function oncePerNamespace<T>(
  cache: Map<string, Promise<T>>,
  item: WorkItem,
  load: () => Promise<T>,
): Promise<T> {
  const key = `${item.inventory.config.name}/${item.namespace}`;
  let loaded = cache.get(key);
  if (!loaded) {
    loaded = load();
    cache.set(key, loaded);
  }
  return loaded;
}
