import {
  ESO_GROUP,
  type ExternalSecret,
  type OwnerReference,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-common';

function isOurReference(
  ref: OwnerReference,
  externalSecret: ExternalSecret,
): boolean {
  // ESO ignores the API version (it changes over time) and the UID.
  const group = ref.apiVersion.split('/')[0];
  return (
    group === ESO_GROUP &&
    ref.kind === 'ExternalSecret' &&
    ref.name === externalSecret.metadata.name
  );
}

/** The controller reference of another owner (ESO's ErrSecretIsOwned, extended to any controller). */
export function foreignController(
  refs: OwnerReference[] | undefined,
  externalSecret: ExternalSecret,
): OwnerReference | undefined {
  const controller = refs?.find(ref => ref.controller === true);
  if (!controller || isOurReference(controller, externalSecret))
    return undefined;
  return controller;
}

/**
 * The ownerReferences to write: ESO's `SetControllerReference` for Owner (our
 * reference replaces an older one in place, else is appended) and
 * `RemoveControllerReference` for the other creation policies.
 */
export function desiredOwnerReferences(
  current: OwnerReference[] | undefined,
  externalSecret: ExternalSecret,
  owner: boolean,
): OwnerReference[] | undefined {
  const refs = [...(current ?? [])];
  const existing = refs.findIndex(ref => isOurReference(ref, externalSecret));
  if (!owner) {
    if (existing >= 0) refs.splice(existing, 1);
    return refs.length || current ? refs : undefined;
  }
  const ours: OwnerReference = {
    apiVersion: 'external-secrets.io/v1',
    kind: 'ExternalSecret',
    name: externalSecret.metadata.name,
    uid: externalSecret.metadata.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
  if (existing >= 0) refs[existing] = ours;
  else refs.push(ours);
  return refs;
}

export function sameOwnerReferences(
  a: OwnerReference[] | undefined,
  b: OwnerReference[] | undefined,
): boolean {
  const norm = (refs: OwnerReference[] | undefined) =>
    (refs ?? []).map(r =>
      [
        r.apiVersion,
        r.kind,
        r.name,
        r.uid,
        r.controller ?? false,
        r.blockOwnerDeletion ?? false,
      ].join('\u0000'),
    );
  const x = norm(a);
  const y = norm(b);
  return x.length === y.length && x.every((v, i) => v === y[i]);
}
