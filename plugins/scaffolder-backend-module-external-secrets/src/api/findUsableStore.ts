import { InputError } from '@backstage/errors';
import { StoreStatusDto } from '@external-secrets-backstage/backstage-plugin-external-secrets-common';

/** A store as a template names it: the picker's value shape. @public */
export type StoreSelection = {
  kind: string;
  name: string;
  /** For a SecretStore: its namespace (must be the ExternalSecret's). */
  namespace?: string;
  /** Limits the search to one cluster (app-config stores always qualify). */
  cluster?: string;
};

function label(store: StoreSelection, namespace: string): string {
  return store.kind === 'SecretStore'
    ? `SecretStore ${namespace}/${store.name}`
    : `${store.kind} ${store.name}`;
}

function where(store: StoreStatusDto): string {
  return store.cluster ? `cluster ${store.cluster}` : 'app-config';
}

/**
 * Picks the store an ExternalSecret in `namespace` would use, as the reconciler
 * resolves it (a SecretStore only in the ExternalSecret's own namespace; cluster
 * stores before app-config ones), and requires it to be Ready.
 *
 * @throws InputError naming the store and, when it is unknown, the known ones;
 *   or, when it is not Ready, its reason and message.
 * @public
 */
export function findUsableStore(
  stores: StoreStatusDto[],
  selection: StoreSelection,
  namespace: string,
): StoreStatusDto {
  const name = label(selection, namespace);
  if (
    selection.kind === 'SecretStore' &&
    selection.namespace &&
    selection.namespace !== namespace
  ) {
    throw new InputError(
      `${label(
        selection,
        selection.namespace,
      )} cannot be used from namespace ${namespace}: a SecretStore serves only its own namespace; pick a ClusterSecretStore or create the ExternalSecret in ${
        selection.namespace
      }`,
    );
  }
  const candidates = stores
    .filter(
      s =>
        s.kind === selection.kind &&
        s.name === selection.name &&
        (selection.kind !== 'SecretStore' || s.namespace === namespace) &&
        (!selection.cluster ||
          s.cluster === selection.cluster ||
          s.origin === 'config'),
    )
    .sort(
      (a, b) => Number(a.origin === 'config') - Number(b.origin === 'config'),
    );
  if (candidates.length === 0) {
    const known = stores
      .map(s => `${s.kind} ${s.namespace ? `${s.namespace}/` : ''}${s.name}`)
      .sort();
    throw new InputError(
      `${name} is not a known store${
        selection.cluster ? ` in cluster ${selection.cluster}` : ''
      } (known: ${
        [...new Set(known)].join(', ') || 'none'
      }); check spelling and kind, or ask a platform admin to add it`,
    );
  }
  const ready = candidates.find(s => s.ready);
  if (ready) return ready;
  const [first] = candidates;
  throw new InputError(
    `${name} (${where(first)}) is not Ready: ${first.reason ?? 'no reason'}: ${
      first.message ?? 'not validated yet'
    }; an ExternalSecret on it would not sync until the store is fixed`,
  );
}
