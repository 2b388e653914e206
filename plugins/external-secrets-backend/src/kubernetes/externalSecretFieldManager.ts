import { createHash } from 'node:crypto';

/** The prefix of every per-ExternalSecret field manager (ESO's fieldOwnerTemplate). */
export const EXTERNAL_SECRET_FIELD_MANAGER_PREFIX =
  'externalsecrets.external-secrets.io/';

/** Label, annotation and data key names one field manager owns (never values). */
export type ManagedKeys = {
  labels: string[];
  annotations: string[];
  data: string[];
};

/** Managed keys of a Secret by field manager, ExternalSecret managers only. */
export type ManagedKeysByManager = Record<string, ManagedKeys>;

/**
 * The field manager an ExternalSecret writes its target Secret as, named as
 * ESO names it (fqdnFor, pkg/controllers/externalsecret/util.go): the same
 * name on both sides means a Secret ESO wrote tells us, through
 * `managedFields`, what that ExternalSecret owns, and the other way round.
 * ESO hashes the name (SHA3-224) when the whole would pass 63 characters.
 * (ESO's templating.GetManagedLabelKeys tests the bare name's length instead,
 * so for names of 28 to 63 characters it looks for a manager it never writes
 * and keeps stale labels; we read with the name we write, as its data-key
 * lookup in externalsecret_controller.go does.)
 */
export function externalSecretFieldManager(externalSecretName: string): string {
  const fqdn = `${EXTERNAL_SECRET_FIELD_MANAGER_PREFIX}${externalSecretName}`;
  if (fqdn.length <= 63) return fqdn;
  const hash = createHash('sha3-224').update(externalSecretName).digest('hex');
  return `${EXTERNAL_SECRET_FIELD_MANAGER_PREFIX}sha3/${hash}`;
}

type ManagedFieldsEntry = { manager?: string; fieldsV1?: unknown };

/**
 * The keys each ExternalSecret field manager owns, read from a Secret's
 * `metadata.managedFields` as ESO's getManagedFieldKeys reads them
 * (`f:metadata.f:labels`, `f:metadata.f:annotations`, `f:data`). Other
 * managers are dropped: a Secret listing keeps only what reconciling needs.
 */
export function managedKeysOf(
  entries: ManagedFieldsEntry[] | undefined,
): ManagedKeysByManager {
  const byManager: ManagedKeysByManager = {};
  for (const entry of entries ?? []) {
    const manager = entry.manager;
    if (!manager?.startsWith(EXTERNAL_SECRET_FIELD_MANAGER_PREFIX)) continue;
    const keys = (byManager[manager] ??= {
      labels: [],
      annotations: [],
      data: [],
    });
    const fields = asFields(entry.fieldsV1);
    const metadata = asFields(fields['f:metadata']);
    keys.labels.push(...fieldNames(metadata['f:labels']));
    keys.annotations.push(...fieldNames(metadata['f:annotations']));
    keys.data.push(...fieldNames(fields['f:data']));
  }
  return byManager;
}

function asFields(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

/** `{ '.': {}, 'f:tier': {} }` → `['tier']`. */
function fieldNames(value: unknown): string[] {
  return Object.keys(asFields(value))
    .filter(k => k.startsWith('f:'))
    .map(k => k.slice(2));
}
