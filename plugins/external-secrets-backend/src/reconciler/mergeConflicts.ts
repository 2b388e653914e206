import {
  ANNOTATION_DATA_HASH,
  ExternalSecret,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import {
  computeDataHash,
  CurrentSecret,
  ReconcileResult,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-node';

type Writer = { name: string; created: string };

/**
 * Which creationPolicy Merge ExternalSecret writes each key of a shared
 * Secret, remembered across cycles by this replica. Two of them producing
 * the same key made the Secret flip every cycle; the one created first
 * (creationTimestamp, then name) keeps the key, both report the conflict.
 */
export class MergeClaims {
  /** `cluster/namespace/secret` → key → writers seen producing it. */
  private readonly claims = new Map<string, Map<string, Map<string, Writer>>>();

  /**
   * Takes the keys another, older writer holds out of `result` (their
   * current value stays) and names the rival on both sides' key status.
   */
  resolve(
    target: string,
    es: ExternalSecret,
    result: ReconcileResult,
    current: CurrentSecret | undefined,
    /** metadata.creationTimestamp of the ExternalSecret, as listed. */
    created: string | undefined,
  ): ReconcileResult {
    if (es.spec.target.creationPolicy !== 'Merge' || !result.desired) {
      return result;
    }
    const me: Writer = { name: es.metadata.name, created: created ?? '' };
    const byKey = this.claimsOf(target);
    const lost = new Map<string, Writer>();
    const rivals = new Map<string, Writer[]>();
    for (const key of producedKeys(result)) {
      const writers = byKey.get(key) ?? new Map<string, Writer>();
      writers.set(me.name, me);
      byKey.set(key, writers);
      const others = [...writers.values()].filter(w => w.name !== me.name);
      if (others.length === 0) continue;
      rivals.set(key, others);
      const first = [...writers.values()].sort(olderFirst)[0];
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

function olderFirst(a: Writer, b: Writer): number {
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
  current: CurrentSecret | undefined,
  lost: Map<string, Writer>,
  rivals: Map<string, Writer[]>,
  target: string,
): ReconcileResult {
  const desired = result.desired!;
  const data = { ...desired.data };
  for (const key of lost.keys()) {
    if (current?.data[key]) data[key] = current.data[key];
    else delete data[key];
  }
  const dataHash = computeDataHash(data);
  const names = (ws: Writer[]) =>
    ws.map(w => `ExternalSecret ${w.name}`).join(', ');
  const secret = target.split('/').slice(1).join('/');
  return {
    ...result,
    dataHash,
    changedKeys: result.changedKeys.filter(k => !lost.has(k)),
    desired: {
      ...desired,
      data,
      metadata: {
        ...desired.metadata,
        annotations: {
          ...desired.metadata.annotations,
          [ANNOTATION_DATA_HASH]: dataHash,
        },
      },
    },
    keys: result.keys.map(k => {
      const others = k.secretKey !== undefined && rivals.get(k.secretKey);
      if (k.state !== 'synced' || !others) return k;
      const winner = lost.get(k.secretKey!);
      return winner
        ? {
            ...k,
            state: 'error',
            reason: 'DuplicateKey',
            message: `key "${
              k.secretKey
            }" of Secret ${secret} (creationPolicy Merge) is also written by ${names(
              others,
            )}; ExternalSecret ${
              winner.name
            } was created first and keeps it: give one of them another key`,
          }
        : {
            ...k,
            message: `key "${
              k.secretKey
            }" of Secret ${secret} (creationPolicy Merge) is also produced by ${names(
              others,
            )}; this ExternalSecret was created first and keeps it`,
          };
    }),
  };
}
