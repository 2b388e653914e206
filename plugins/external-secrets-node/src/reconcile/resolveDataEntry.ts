import type { ExternalSecretData } from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import {
  decodeOutcome,
  entryFailure,
  failed,
  fetchFor,
  goneOutcome,
  isGone,
  selectProperty,
  unsupportedEntry,
  type Base,
  type EntryContext,
  type EntryResult,
} from './entryOutcomes';
import { jsonLeafText } from './jsonDocument';
import { effectiveStoreRef } from './planReads';

/** One `spec.data` entry: read, `property`, decoding; a failure keeps the key's current value. */
export function resolveDataEntry(
  ctx: EntryContext,
  entry: ExternalSecretData,
  index: number,
): EntryResult {
  const id = `data[${index}]`;
  const storeRef = effectiveStoreRef(ctx.parsed, entry.sourceRef);
  const { key, property, decodingStrategy, nullBytePolicy } = entry.remoteRef;
  const rules = { strategy: decodingStrategy, nullBytePolicy };
  const base: Base = {
    secretKey: entry.secretKey,
    source: id,
    storeRef,
    remoteKey: key,
    ...(property ? { property } : {}),
  };
  if (entry.sourceRef?.generatorRef)
    return {
      ...unsupportedEntry(id, base, 'sourceRef.generatorRef'),
      complete: true,
    };
  if (entry.remoteRef.metadataPolicy === 'Fetch')
    return {
      ...unsupportedEntry(id, base, 'remoteRef.metadataPolicy: Fetch'),
      complete: true,
    };
  const fetched = fetchFor(ctx, id, base, storeRef);
  if ('status' in fetched) {
    const gone =
      fetched.status.errorType === 'KEY_NOT_FOUND' && isGone(ctx, id);
    if (gone)
      return {
        id,
        outcomes: [goneOutcome(ctx, id, base, storeRef!, true)],
        complete: true,
        gone: true,
      };
    return entryFailure(id, fetched, true);
  }
  if (!('secret' in fetched))
    return entryFailure(
      id,
      failed(
        base,
        'ProviderError',
        `${id}: the provider answered a get with a list`,
      ),
      true,
    );
  const { value, version } = fetched.secret;
  if (!property)
    return {
      id,
      outcomes: [decodeOutcome(base, rules, value.bytes(), version)],
      complete: true,
      gone: false,
    };
  const selected = selectProperty(value, property, key);
  if (!('node' in selected))
    return entryFailure(
      id,
      failed(base, selected.reason, selected.message),
      true,
    );
  const bytes = new TextEncoder().encode(jsonLeafText(selected.node));
  return {
    id,
    outcomes: [decodeOutcome(base, rules, bytes, version)],
    complete: true,
    gone: false,
  };
}
