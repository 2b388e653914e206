import {
  ANNOTATION_DATA_HASH,
  ExternalSecret,
  LABEL_MANAGED,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import {
  computeDataHash,
  SecretValue,
  syncedResourceVersion,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-node';
import { LoggerService } from '@backstage/backend-plugin-api';
import {
  ClusterWatcher,
  ResourceWatch,
  WatchChange,
  WatchListener,
} from '../kubernetes/ClusterWatcher';
import { ClusterMode } from '../kubernetes/ClusterConfig';
import { UnparsedKubernetesObject } from '../kubernetes/types';
import { DueMarks } from './DueMarks';

/** What is kept per ExternalSecret: enough to tell a change and whom a Secret or store event concerns. */
type EsEntry = { fingerprint: string; target: string; stores: string[] };
/** What is kept per managed Secret: its resourceVersion and owners. */
type SecretEntry = { resourceVersion?: string; owners: string[] };

/**
 * Turns a cluster's watch events into due marks, keeping only what that
 * needs (bounded memory: a fingerprint, target name and store names per
 * ExternalSecret, owners per managed Secret; never a spec, status or value).
 *
 * - ExternalSecret: due when ESO's `syncedResourceVersion` (generation, labels,
 *   annotations: a spec edit, a `force-sync`) changes, when it appears or goes;
 *   our own status writes change none of these, so they cause no cycle. In
 *   observe mode, any change (ESO's status) makes it due.
 * - SecretStore / ClusterSecretStore: a change of its generation, labels or
 *   annotations makes the ExternalSecrets that reference it due.
 * - Managed Secret: deleted, or its managed label or data-hash no longer
 *   matching its data (ESO's `isSecretValid`), makes its owner due.
 *
 * After a relist (410 Gone), whatever differs from what was kept is marked.
 */
export class ClusterChanges {
  readonly marks = new DueMarks();
  private readonly externalSecrets = new Map<string, EsEntry>();
  private readonly stores = new Map<string, string>();
  private readonly secrets = new Map<string, SecretEntry>();
  private watches: ResourceWatch[] = [];

  constructor(
    private readonly options: {
      cluster: string;
      mode: ClusterMode;
      watcher: ClusterWatcher;
      logger: LoggerService;
    },
  ) {}

  get running(): boolean {
    return this.watches.length > 0;
  }

  /** Starts the watches; resolves once each listed (or failed to, once). */
  async start(): Promise<void> {
    if (this.running) return;
    const { watcher, mode } = this.options;
    this.watches = [
      watcher.watch(
        'externalsecrets',
        {},
        this.listener(this.onExternalSecret),
      ),
    ];
    if (mode === 'reconcile') {
      this.watches.push(
        watcher.watch('secretstores', {}, this.listener(this.onStore)),
        watcher.watch('clustersecretstores', {}, this.listener(this.onStore)),
        watcher.watch(
          'secrets',
          { labelSelector: `${LABEL_MANAGED}=true` },
          this.listener(this.onSecret),
        ),
      );
    }
    await Promise.all(this.watches.map(w => w.listed));
  }

  stop(): void {
    for (const watch of this.watches.splice(0)) watch.stop();
    this.externalSecrets.clear();
    this.stores.clear();
    this.secrets.clear();
    this.marks.clear();
  }

  /** Wraps a per-object handler into a listener that also diffs relists. */
  private listener(
    handle: (change: WatchChange, quiet: boolean) => void,
  ): WatchListener {
    let known = new Set<string>();
    return {
      onList: (objects, relisted) => {
        const now = new Set(objects.map(keyOf));
        // Gone while nobody watched: handled as deletions.
        for (const key of known) {
          if (!now.has(key)) {
            const [namespace, name] = splitKey(key);
            handle(
              {
                type: 'DELETED',
                object: {
                  apiVersion: '',
                  kind: '',
                  metadata: { namespace: namespace || undefined, name },
                },
              },
              !relisted,
            );
          }
        }
        for (const object of objects)
          handle({ type: 'MODIFIED', object }, !relisted);
        known = now;
      },
      onChange: change => {
        if (change.type === 'DELETED') known.delete(keyOf(change.object));
        else known.add(keyOf(change.object));
        handle(change, false);
      },
      onError: error =>
        this.options.logger.warn(
          `Watch on cluster ${this.options.cluster} failed, retrying: ${error.message}`,
        ),
    };
  }

  private readonly onExternalSecret = (change: WatchChange, quiet: boolean) => {
    const { object } = change;
    const key = keyOf(object);
    const namespace = object.metadata.namespace ?? '';
    const previous = this.externalSecrets.get(key);
    if (change.type === 'DELETED') {
      this.externalSecrets.delete(key);
      if (!quiet) this.marks.mark(namespace, object.metadata.name);
      return;
    }
    const entry = esEntry(object, this.options.mode);
    this.externalSecrets.set(key, entry);
    if (!quiet && previous?.fingerprint !== entry.fingerprint) {
      this.marks.mark(namespace, object.metadata.name);
    }
  };

  private readonly onStore = (change: WatchChange, quiet: boolean) => {
    const { object } = change;
    const ref = storeKey(
      object.kind ||
        (object.metadata.namespace ? 'SecretStore' : 'ClusterSecretStore'),
      object.metadata.namespace,
      object.metadata.name,
    );
    const previous = this.stores.get(ref);
    const fingerprint =
      change.type === 'DELETED' ? undefined : metadataFingerprint(object);
    if (fingerprint === undefined) this.stores.delete(ref);
    else this.stores.set(ref, fingerprint);
    if (quiet || previous === fingerprint) return;
    for (const [key, entry] of this.externalSecrets) {
      if (entry.stores.includes(ref)) this.markKey(key);
    }
  };

  private readonly onSecret = (change: WatchChange, quiet: boolean) => {
    const { object } = change;
    const key = keyOf(object);
    const namespace = object.metadata.namespace ?? '';
    const previous = this.secrets.get(key);
    if (change.type === 'DELETED') {
      this.secrets.delete(key);
      if (!quiet) this.markOwners(namespace, previous?.owners ?? [], object);
      return;
    }
    const entry: SecretEntry = {
      resourceVersion: object.metadata.resourceVersion,
      owners: ownersOf(object),
    };
    this.secrets.set(key, entry);
    if (quiet) return;
    const changedWhileAway =
      !('data' in object) &&
      previous?.resourceVersion !== entry.resourceVersion;
    if (changedWhileAway || drifted(object)) {
      this.markOwners(namespace, entry.owners, object);
    }
  };

  /** The ExternalSecrets a Secret belongs to: its ownerReference, or those targeting its name. */
  private markOwners(
    namespace: string,
    owners: string[],
    secret: UnparsedKubernetesObject,
  ) {
    const names = new Set(owners.length > 0 ? owners : ownersOf(secret));
    for (const [key, entry] of this.externalSecrets) {
      const [esNamespace, esName] = splitKey(key);
      if (esNamespace === namespace && entry.target === secret.metadata.name)
        names.add(esName);
    }
    for (const name of names) this.marks.mark(namespace, name);
  }

  private markKey(key: string) {
    const [namespace, name] = splitKey(key);
    this.marks.mark(namespace, name);
  }
}

function esEntry(object: UnparsedKubernetesObject, mode: ClusterMode): EsEntry {
  const spec = (object as { spec?: any }).spec ?? {};
  const namespace = object.metadata.namespace;
  const refs = [
    spec.secretStoreRef,
    ...(spec.data ?? []).map((d: any) => d?.sourceRef?.storeRef),
    ...(spec.dataFrom ?? []).map((d: any) => d?.sourceRef?.storeRef),
  ].filter(r => r?.name);
  return {
    fingerprint:
      mode === 'observe'
        ? object.metadata.resourceVersion ?? ''
        : metadataFingerprint(object),
    target: spec.target?.name || object.metadata.name,
    stores: [
      ...new Set(
        refs.map((r: any) =>
          storeKey(r.kind ?? 'SecretStore', namespace, r.name),
        ),
      ),
    ] as string[],
  };
}

/** Generation, labels and annotations: what ESO's syncedResourceVersion covers. */
function metadataFingerprint(object: UnparsedKubernetesObject): string {
  return syncedResourceVersion(object as unknown as ExternalSecret);
}

function storeKey(kind: string, namespace: string | undefined, name: string) {
  return kind === 'ClusterSecretStore'
    ? `ClusterSecretStore//${name}`
    : `SecretStore/${namespace ?? ''}/${name}`;
}

function ownersOf(object: UnparsedKubernetesObject): string[] {
  return (object.metadata.ownerReferences ?? [])
    .filter(ref => ref.kind === 'ExternalSecret')
    .map(ref => ref.name);
}

/** ESO's isSecretValid on a watched Secret: managed label and data-hash must match its data. */
function drifted(object: UnparsedKubernetesObject): boolean {
  const raw = (object as { data?: Record<string, string> }).data;
  if (raw === undefined) return false;
  if (object.metadata.labels?.[LABEL_MANAGED] !== 'true') return true;
  const data = Object.fromEntries(
    Object.entries(raw).map(([k, v]) => [k, SecretValue.fromBase64(v)]),
  );
  return (
    object.metadata.annotations?.[ANNOTATION_DATA_HASH] !==
    computeDataHash(data)
  );
}

function keyOf(object: UnparsedKubernetesObject): string {
  return `${object.metadata.namespace ?? ''}/${object.metadata.name}`;
}

function splitKey(key: string): [string, string] {
  const at = key.indexOf('/');
  return [key.slice(0, at), key.slice(at + 1)];
}
