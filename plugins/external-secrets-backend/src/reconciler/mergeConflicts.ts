import {
  ANNOTATION_DATA_HASH,
  ExternalSecret,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import {
  computeDataHash,
  isUnchanged,
  ReconcileResult,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-node';
import { externalSecretFieldManager } from '../kubernetes/externalSecretFieldManager';
import { TargetSecret } from './SecretWriter';

/** A creationPolicy Merge ExternalSecret of a shared Secret. */
export type MergeWriter = {
  name: string;
  /** metadata.creationTimestamp, as listed ('' when unknown: counts as newest). */
  created: string;
};

export type MergeInput = {
  /** `cluster/namespace/secret`. */
  target: string;
  es: ExternalSecret;
  /** metadata.creationTimestamp of `es`, as listed. */
  created: string | undefined;
  result: ReconcileResult;
  /** The Secret as read, with who manages which key. */
  current: TargetSecret | undefined;
  /**
   * The other ExternalSecrets that write this Secret with creationPolicy
   * Merge, as listed this cycle: only they can hold a key against `es`.
   */
  coWriters: MergeWriter[];
};

/**
 * Which creationPolicy Merge ExternalSecret writes each key of a shared
 * Secret. Two of them producing the same key made the Secret flip every
 * cycle; the one created first (creationTimestamp, then name) keeps the key,
 * both report the conflict. A key's writer is read from the Secret itself:
 * each ExternalSecret writes as its own field manager (ESO's fqdnFor), so
 * `managedFields` names it, on every replica and after a restart. What this
 * process saw in earlier cycles only adds rivals that have not written yet.
 */
export class MergeClaims {
  /** `cluster/namespace/secret` → key → names of the writers seen producing it. */
  private readonly claims = new Map<string, Map<string, Set<string>>>();

  /**
   * Takes the keys another, older writer holds out of `result` (their
   * current value stays) and names the rival on both sides' key status.
   */
  resolve(input: MergeInput): ReconcileResult {
    const { es, result, current, target } = input;
    if (es.spec.target.creationPolicy !== 'Merge' || !result.desired) {
      return result;
    }
    const me: MergeWriter = {
      name: es.metadata.name,
      created: input.created ?? '',
    };
    const live = new Map(input.coWriters.map(w => [w.name, w]));
    const byKey = this.claimsOf(target);
    forgetDropped(byKey, me.name, result);
    const lost = new Map<string, MergeWriter>();
    const rivals = new Map<string, MergeWriter[]>();
    for (const key of producedKeys(result)) {
      const seen = byKey.get(key) ?? new Set<string>();
      seen.add(me.name);
      byKey.set(key, seen);
      const others = new Set([...seen].filter(name => live.has(name)));
      const owner = ownerOf(key, current, input.coWriters);
      if (owner) others.add(owner.name);
      if (others.size === 0) continue;
      const writers = [...others].map(name => live.get(name)!);
      rivals.set(key, writers);
      const first = [...writers, me].sort(olderFirst)[0];
      if (first.name !== me.name) lost.set(key, first);
    }
    if (rivals.size === 0) return result;
    // The writer kept may not be due for an hour: it is re-evaluated next
    // cycle (no write when its Secret is unchanged) to report the conflict.
    const scope = target.split('/').slice(0, 2).join('/');
    for (const winner of lost.values()) {
      this.notices.add(`${scope}/${winner.name}`);
    }
    return withConflicts(result, current, lost, rivals, target);
  }

  /** Whether `cluster/namespace/name` must be re-evaluated to report a conflict (once). */
  takeNotice(externalSecret: string): boolean {
    return this.notices.delete(externalSecret);
  }

  private readonly notices = new Set<string>();

  private claimsOf(target: string) {
    let byKey = this.claims.get(target);
    if (!byKey) {
      byKey = new Map();
      this.claims.set(target, byKey);
    }
    return byKey;
  }
}

/**
 * Forgets `name` as a writer of the keys it no longer produces (its spec
 * changed), so the other writer takes them; not while an entry failed before
 * naming its keys (a failed dataFrom): what it produces is unknown then.
 */
function forgetDropped(
  byKey: Map<string, Set<string>>,
  name: string,
  result: ReconcileResult,
) {
  if (
    result.keys.some(k => k.secretKey === undefined && k.state !== 'synced')
  ) {
    return;
  }
  const still = new Set(result.keys.map(k => k.secretKey));
  for (const [key, seen] of byKey) {
    if (!still.has(key)) seen.delete(name);
  }
}

/**
 * The co-writer whose field manager last wrote `key`, per the Secret's
 * managedFields (ESO's getManagedDataKeys). A writer no longer listed (deleted,
 * retargeted) holds nothing: its key goes to whoever produces it now.
 */
function ownerOf(
  key: string,
  current: TargetSecret | undefined,
  coWriters: MergeWriter[],
): MergeWriter | undefined {
  const managed = current?.managedKeys;
  if (!managed) return undefined;
  return coWriters.find(w =>
    managed[externalSecretFieldManager(w.name)]?.data.includes(key),
  );
}

/** Created first (creationTimestamp, then name); an unknown time counts as newest. */
export function olderFirst(a: MergeWriter, b: MergeWriter): number {
  if (a.created !== b.created) {
    if (!a.created) return 1;
    if (!b.created) return -1;
    return a.created < b.created ? -1 : 1;
  }
  return a.name < b.name ? -1 : 1;
}

function producedKeys(result: ReconcileResult): string[] {
  return result.keys
    .filter(k => k.state === 'synced' && k.secretKey !== undefined)
    .map(k => k.secretKey!);
}

function withConflicts(
  result: ReconcileResult,
  current: TargetSecret | undefined,
  lost: Map<string, MergeWriter>,
  rivals: Map<string, MergeWriter[]>,
  target: string,
): ReconcileResult {
  const desired = result.desired!;
  const data = { ...desired.data };
  for (const key of lost.keys()) {
    if (current?.data[key]) data[key] = current.data[key];
    else delete data[key];
  }
  const dataHash = computeDataHash(data);
  const resolved = {
    ...desired,
    data,
    metadata: {
      ...desired.metadata,
      annotations: {
        ...desired.metadata.annotations,
        [ANNOTATION_DATA_HASH]: dataHash,
      },
    },
  };
  // Keeping the older writer's value may leave nothing to write: no request.
  const unchanged =
    result.action === 'update' && current && isUnchanged(current, resolved);
  return {
    ...result,
    action: unchanged ? 'none' : result.action,
    dataHash,
    changedKeys: result.changedKeys.filter(k => !lost.has(k)),
    removedKeys: unchanged ? [] : result.removedKeys,
    desired: resolved,
    keys: result.keys.map(k => conflictStatus(k, rivals, lost, target)),
  };
}

function conflictStatus(
  k: ReconcileResult['keys'][number],
  rivals: Map<string, MergeWriter[]>,
  lost: Map<string, MergeWriter>,
  target: string,
): ReconcileResult['keys'][number] {
  const others = k.secretKey !== undefined && rivals.get(k.secretKey);
  if (k.state !== 'synced' || !others) return k;
  const names = others.map(w => `ExternalSecret ${w.name}`).join(', ');
  const secret = target.split('/').slice(1).join('/');
  const winner = lost.get(k.secretKey!);
  return winner
    ? {
        ...k,
        state: 'error',
        reason: 'DuplicateKey',
        message: `key "${k.secretKey}" of Secret ${secret} (creationPolicy Merge) is also written by ${names}; ExternalSecret ${winner.name} was created first and keeps it: give one of them another key`,
      }
    : {
        ...k,
        message: `key "${k.secretKey}" of Secret ${secret} (creationPolicy Merge) is also produced by ${names}; this ExternalSecret was created first and keeps it`,
      };
}
