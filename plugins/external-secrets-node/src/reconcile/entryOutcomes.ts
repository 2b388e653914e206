/** Building blocks shared by the data and dataFrom entry resolvers. */
import type {
  DecodingStrategy,
  DeletionPolicy,
  NullBytePolicy,
  ParsedExternalSecret,
  SecretStoreRef,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import type { RemoteSecret } from '../provider/types';
import { SecretValue } from '../values/SecretValue';
import { decodeValue } from './decodeValue';
import { describeProviderError, didYouMean } from './describeProviderError';
import { parseJsonDocument, type JsonNode } from './jsonDocument';
import { parsePropertyPath, selectJson } from './jsonProperty';
import { storeRefKey } from './planReads';
import type { KeyStatus, ReadOutcome, StoreReadiness } from './types';

/** One key (or one keyless entry status) and, when synced, its fresh value. */
export type KeyOutcome = { status: KeyStatus; value?: SecretValue };

/**
 * What one data/dataFrom entry yields this cycle.
 * `complete`: the entry's keys are fully known (false after a failed dataFrom
 * read or an empty `find` listing, which is never evidence that a key is gone).
 * `gone`: the provider proved every key of the entry is gone.
 */
export type EntryResult = {
  id: string;
  outcomes: KeyOutcome[];
  complete: boolean;
  gone: boolean;
};

export type EntryContext = {
  parsed: ParsedExternalSecret;
  reads: Map<string, ReadOutcome>;
  storeStatus?: Map<string, StoreReadiness>;
  deletionPolicy: DeletionPolicy;
  /** Keys the target Secret holds now: a missing remote key for one it never had is a typo, not a deletion. */
  currentKeys?: ReadonlySet<string>;
};

export type Base = Omit<KeyStatus, 'state' | 'reason'>;
export type Fetched =
  | { ok: true; secret: RemoteSecret }
  | { ok: true; secrets: Map<string, RemoteSecret> };

export function failed(
  base: Base,
  reason: KeyStatus['reason'],
  message: string,
  extra: Partial<KeyStatus> = {},
): KeyOutcome {
  return { status: { ...base, state: 'error', reason, message, ...extra } };
}

export function entryFailure(
  id: string,
  outcome: KeyOutcome,
  complete: boolean,
): EntryResult {
  return { id, outcomes: [outcome], complete, gone: false };
}

/** The read for an entry, or the outcome explaining why there is none. */
export function fetchFor(
  ctx: EntryContext,
  id: string,
  base: Base,
  storeRef?: SecretStoreRef,
): Fetched | KeyOutcome {
  if (!storeRef) {
    return failed(
      base,
      'NoStore',
      `${id} has no store: set spec.secretStoreRef or ${id}.sourceRef.storeRef`,
    );
  }
  const readiness = ctx.storeStatus?.get(storeRefKey(storeRef));
  if (readiness && !readiness.ready) {
    // A resolver message that already names the store ("... not found") is
    // not prefixed with the store again.
    const message = readiness.message.includes(storeRef.name)
      ? readiness.message
      : `store ${storeRefKey(storeRef)} is not ready: ${readiness.message}`;
    return failed(base, 'StoreNotReady', message);
  }
  const outcome = ctx.reads.get(id);
  if (!outcome) {
    return {
      status: {
        ...base,
        state: 'pending',
        reason: 'NotRead',
        message: `${id} was not read this cycle`,
      },
    };
  }
  if (!outcome.ok) {
    const { error } = outcome;
    const state = error.errorType === 'UNSUPPORTED' ? 'unsupported' : 'error';
    return {
      status: {
        ...base,
        state,
        reason: 'ProviderError',
        message: describeProviderError(error),
        errorType: error.errorType,
      },
    };
  }
  return outcome;
}

export function goneOutcome(
  ctx: EntryContext,
  id: string,
  base: Base,
  storeRef: SecretStoreRef,
  keyed: boolean,
): KeyOutcome {
  const where = `remote key "${base.remoteKey}" does not exist in ${storeRefKey(
    storeRef,
  )}`;
  const neverWritten =
    keyed &&
    base.secretKey !== undefined &&
    ctx.currentKeys !== undefined &&
    !ctx.currentKeys.has(base.secretKey);
  if (ctx.deletionPolicy === 'Retain' && neverWritten) {
    // Nothing to keep or remove: most likely a typo in remoteRef.key.
    return failed(
      base,
      'RemoteKeyNotFound',
      `${where}${similarTo(
        ctx,
        id,
      )}; create it in the provider or fix remoteRef.key`,
      { errorType: 'KEY_NOT_FOUND' },
    );
  }
  if (ctx.deletionPolicy === 'Retain') {
    return failed(
      base,
      'RemoteKeyGone',
      `${where}; deletionPolicy is Retain, so a value already in the Secret is kept (set Merge or Delete to remove it)`,
      { errorType: 'KEY_NOT_FOUND' },
    );
  }
  const what = keyed
    ? 'the key is removed'
    : 'the keys it produced are removed';
  return {
    status: {
      ...base,
      state: 'removed',
      reason: 'RemoteKeyGone',
      message: `${where}; ${what} (deletionPolicy ${ctx.deletionPolicy})`,
      errorType: 'KEY_NOT_FOUND',
    },
  };
}

function similarTo(ctx: EntryContext, id: string): string {
  const outcome = ctx.reads.get(id);
  return outcome && !outcome.ok ? didYouMean(outcome.error) : '';
}

/** Reads `value` as JSON and selects `property`; the error never quotes the value. */
export function selectProperty(
  value: SecretValue,
  property: string,
  remoteKey: string,
): { node: JsonNode } | { reason: KeyStatus['reason']; message: string } {
  const path = parsePropertyPath(property);
  if (!path.ok) return { reason: 'PropertyNotFound', message: path.message };
  let root: JsonNode;
  try {
    root = parseJsonDocument(value.text());
  } catch {
    return {
      reason: 'NotJson',
      message: `property "${property}" needs a JSON value, but remote key "${remoteKey}" is not JSON`,
    };
  }
  const node = selectJson(root, path.parts);
  if (!node)
    return {
      reason: 'PropertyNotFound',
      message: `property "${property}" does not exist in remote key "${remoteKey}"`,
    };
  return { node };
}

export function decodeOutcome(
  base: Base,
  rules: { strategy: DecodingStrategy; nullBytePolicy?: NullBytePolicy },
  bytes: Uint8Array,
  version?: string,
): KeyOutcome {
  const decoded = decodeValue(rules.strategy, bytes);
  if (!decoded.ok)
    return failed(
      base,
      'DecodeFailed',
      `remote key "${base.remoteKey}": ${decoded.message}`,
    );
  // ESO's validateFetchedSecretValue, worded as ESO words it.
  if (rules.nullBytePolicy === 'Fail' && decoded.bytes.includes(0))
    return failed(
      base,
      'NullBytes',
      `fetched secret value for key "${base.secretKey}" contains null bytes`,
    );
  return {
    status: {
      ...base,
      state: 'synced',
      reason: 'Synced',
      ...(version ? { remoteVersion: version } : {}),
    },
    value: SecretValue.fromBytes(decoded.bytes),
  };
}

export function unsupportedEntry(
  id: string,
  base: Base,
  field: string,
): EntryResult {
  const outcome: KeyOutcome = {
    status: {
      ...base,
      state: 'unsupported',
      reason: 'Unsupported',
      message: `unsupported: ${id}.${field}`,
    },
  };
  return entryFailure(id, outcome, false);
}

export function isGone(ctx: EntryContext, id: string): boolean {
  const outcome = ctx.reads.get(id);
  return !!outcome && !outcome.ok && outcome.error.provesKeyIsGone;
}
