/** What the card shows of one ExternalSecret: its record, key rows and events. */
import {
  Condition,
  ExternalSecretConditionReason,
  ParsedExternalSecret,
  ValidationIssue,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import {
  KeyStatus,
  ReconcileResult,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-node';
import {
  ExternalSecretRecord,
  ExternalSecretState,
  KeyStatusRecord,
  SyncEvent,
} from '../database/StatusStore';
import { CycleContext, SyncOutcome } from './CycleContext';
import { sketchOf } from './rawSketch';
import { WorkItem } from './WorkItem';

export function failed(
  item: WorkItem,
  ctx: CycleContext,
  previous: ExternalSecretRecord | undefined,
  message: string,
  state: ExternalSecretState = 'Error',
  issues?: ValidationIssue[],
  parsed?: ParsedExternalSecret,
): SyncOutcome {
  const target =
    parsed?.externalSecret.spec.target.name ??
    targetNameOf(item.raw) ??
    item.name;
  // Unparsed: keep showing the store and mappings it names.
  const sketch = parsed ? undefined : sketchOf(item.raw, message);
  const record: ExternalSecretRecord = {
    entityRef: item.entityRef,
    cluster: item.inventory.config.name,
    namespace: item.namespace,
    name: item.name,
    origin: item.origin,
    mode: item.inventory.config.mode,
    uid: uidOf(item),
    writtenMetadata: previous?.writtenMetadata,
    storeKind:
      parsed?.externalSecret.spec.secretStoreRef?.kind ?? sketch?.storeKind,
    storeName:
      parsed?.externalSecret.spec.secretStoreRef?.name ?? sketch?.storeName,
    refreshInterval:
      parsed?.externalSecret.spec.refreshInterval ?? sketch?.refreshInterval,
    targetSecret: target,
    state: issues?.some(i => i.severity === 'error') ? 'Error' : state,
    reason: 'SecretSyncedError',
    message,
    dataHash: previous?.dataHash,
    lastAttemptAt: ctx.now,
    lastSuccessAt: previous?.lastSuccessAt,
    consecutiveFailures: (previous?.consecutiveFailures ?? 0) + 1,
    keys: parsed ? declaredKeys(parsed, 'error', message) : sketch?.keys ?? [],
  };
  const newFailure =
    !previous ||
    previous.message !== message ||
    previous.state !== record.state;
  // Every attempt is saved, so the tab's and the admin page's "last attempt"
  // advance and a sync-now lands; an event only when the failure is new.
  return {
    record,
    changed: true,
    events: newFailure ? [event(item, 'error', message, ctx.now)] : [],
  };
}

/** The CR's metadata.uid; a declared manifest has none. */
export function uidOf(item: WorkItem): string | undefined {
  if (item.origin !== 'cluster') return undefined;
  const uid = (item.raw as { metadata?: { uid?: unknown } } | undefined)
    ?.metadata?.uid;
  return typeof uid === 'string' ? uid : undefined;
}

export function baseRecord(
  item: WorkItem,
  parsed: ParsedExternalSecret,
  mode: 'reconcile' | 'observe',
): Omit<ExternalSecretRecord, 'state' | 'consecutiveFailures' | 'keys'> {
  const spec = parsed.externalSecret.spec;
  return {
    entityRef: item.entityRef,
    cluster: item.inventory.config.name,
    namespace: item.namespace,
    name: item.name,
    origin: item.origin,
    mode,
    uid: uidOf(item),
    storeKind: spec.secretStoreRef?.kind,
    storeName: spec.secretStoreRef?.name,
    targetSecret: spec.target.name,
    refreshInterval: spec.refreshInterval,
    refreshPolicy: spec.refreshPolicy,
    creationPolicy: spec.target.creationPolicy,
    deletionPolicy: spec.target.deletionPolicy,
  };
}

/** The declared mappings, for modes where no read happens. */
export function declaredKeys(
  parsed: ParsedExternalSecret,
  state: KeyStatusRecord['state'],
  message?: string,
): KeyStatusRecord[] {
  const spec = parsed.externalSecret.spec;
  const keys: KeyStatusRecord[] = spec.data.map((entry, i) => {
    const store = entry.sourceRef?.storeRef ?? spec.secretStoreRef;
    return {
      source: `data[${parsed.dataIndexes[i]}]`,
      secretKey: entry.secretKey,
      remoteKey: entry.remoteRef.key,
      property: entry.remoteRef.property,
      storeKind: store?.kind,
      storeName: store?.name,
      state,
      message,
    };
  });
  spec.dataFrom.forEach((entry, i) => {
    const store = entry.sourceRef?.storeRef ?? spec.secretStoreRef;
    keys.push({
      source: `dataFrom[${parsed.dataFromIndexes[i]}]`,
      remoteKey: entry.extract?.key ?? describeFind(entry.find),
      storeKind: store?.kind,
      storeName: store?.name,
      state,
      message,
    });
  });
  for (const invalid of parsed.invalidEntries) {
    keys.push({
      source: `${invalid.field}[${invalid.index}]`,
      secretKey: invalid.secretKey,
      remoteKey: invalid.remoteKey,
      state: invalid.issues.some(i => i.severity === 'unsupported')
        ? 'unsupported'
        : 'error',
      message: describeIssues(invalid.issues),
    });
  }
  return keys;
}

function describeFind(
  find:
    | {
        path?: string;
        name?: { regexp: string };
        tags?: Record<string, string>;
      }
    | undefined,
) {
  if (!find) return undefined;
  const parts = [
    find.path ? `path=${find.path}` : undefined,
    find.name ? `name=~${find.name.regexp}` : undefined,
    find.tags
      ? `tags=${Object.entries(find.tags)
          .map(([k, v]) => `${k}:${v}`)
          .join(',')}`
      : undefined,
  ].filter(Boolean);
  return `find(${parts.join(' ')})`;
}

export function toKeyRecord(key: KeyStatus): KeyStatusRecord {
  return {
    source: key.source,
    secretKey: key.secretKey,
    remoteKey: key.remoteKey,
    property: key.property,
    storeKind: key.storeRef?.kind,
    storeName: key.storeRef?.name,
    state: key.state,
    reason: key.reason,
    message: key.message,
    errorType: key.errorType,
    remoteVersion: key.remoteVersion,
  };
}

export function stateOf(
  condition: Condition<ExternalSecretConditionReason>,
  keys: KeyStatus[],
): ExternalSecretState {
  if (condition.status !== 'True') {
    return keys.length > 0 && keys.every(k => k.state === 'unsupported')
      ? 'Unsupported'
      : 'Error';
  }
  if (condition.reason === 'SecretMissing') return 'Pending';
  if (condition.reason === 'SecretDeleted') return 'NotFound';
  return keys.some(k => k.state === 'error' || k.state === 'unsupported')
    ? 'Error'
    : 'Synced';
}

export function eventsFor(
  item: WorkItem,
  result: ReconcileResult,
  record: ExternalSecretRecord,
  previous: ExternalSecretRecord | undefined,
  writeError: Error | undefined,
): SyncEvent[] {
  const now = record.lastAttemptAt!;
  if (writeError || record.state === 'Error') {
    const repeated =
      previous?.state === 'Error' && previous.message === record.message;
    return repeated ? [] : [event(item, 'error', record.message, now)];
  }
  switch (result.action) {
    case 'create':
      return [
        event(
          item,
          'created',
          `created Secret ${item.namespace}/${
            record.targetSecret
          }${describeOverrides(result.keys)}`,
          now,
          result.changedKeys,
        ),
      ];
    case 'update':
      if (result.changedKeys.length + result.removedKeys.length === 0) {
        // Only labels/annotations moved (e.g. ESO's copy of a force-sync
        // annotation): a write, but no value changed.
        return [
          event(
            item,
            'synced',
            `updated metadata of Secret ${item.namespace}/${record.targetSecret}; data unchanged`,
            now,
          ),
        ];
      }
      return [
        event(
          item,
          'updated',
          `updated Secret ${item.namespace}/${
            record.targetSecret
          }${describeOverrides(result.keys)}`,
          now,
          [...result.changedKeys, ...result.removedKeys],
        ),
      ];
    case 'delete':
      return [
        event(
          item,
          'deleted',
          `deleted Secret ${item.namespace}/${record.targetSecret}`,
          now,
        ),
      ];
    case 'refuse':
      return [event(item, 'refused', record.message, now)];
    default:
      return previous?.state === record.state
        ? []
        : [event(item, 'synced', record.message, now)];
  }
}

/**
 * `; data[0] overrides dataFrom[1] for key "password"`: ESO's precedence
 * (data over dataFrom, a later entry over an earlier one) made visible, so a
 * value that differs from one entry's remote secret is explained.
 */
function describeOverrides(keys: KeyStatus[]): string {
  const notes = keys
    .filter(k => k.reason === 'Overridden' && k.secretKey !== undefined)
    .map(loser => {
      const winner = keys.find(
        k =>
          k.secretKey === loser.secretKey &&
          k.state === 'synced' &&
          k.reason !== 'Overridden',
      );
      return `${winner?.source ?? 'a later entry'} overrides ${
        loser.source
      } for key "${loser.secretKey}"`;
    });
  return notes.length > 0 ? `; ${notes.join('; ')}` : '';
}

export function event(
  item: WorkItem,
  type: SyncEvent['type'],
  message: string | undefined,
  createdAt: Date,
  changedKeys?: string[],
): SyncEvent {
  return {
    entityRef: item.entityRef,
    cluster: item.inventory.config.name,
    namespace: item.namespace,
    name: item.name,
    type,
    message,
    changedKeys:
      changedKeys && changedKeys.length > 0 ? changedKeys : undefined,
    createdAt,
  };
}

export function describeIssues(issues: ValidationIssue[]): string {
  const relevant = issues.filter(i => i.severity !== 'warning');
  return (relevant.length > 0 ? relevant : issues)
    .map(i => i.message)
    .join('; ');
}

export function targetNameOf(raw: unknown): string | undefined {
  const spec = (raw as { spec?: { target?: { name?: unknown } } })?.spec;
  return typeof spec?.target?.name === 'string' ? spec.target.name : undefined;
}
