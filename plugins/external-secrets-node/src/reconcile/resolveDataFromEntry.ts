import type {
  DecodingStrategy,
  NullBytePolicy,
  ExternalSecretDataFromRemoteRef,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import type { KeyStatus } from './types';
import { SecretValue } from '../values/SecretValue';
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
  type KeyOutcome,
} from './entryOutcomes';
import { jsonLeafText, parseJsonDocument, type JsonNode } from './jsonDocument';
import { effectiveStoreRef, storeRefKey } from './planReads';
import { compileRewrites, RewriteError, type KeyRewriter } from './rewriteKeys';
import { convertKey, secretKeyProblem } from './secretKeys';

type Item = {
  name: string;
  value: SecretValue;
  version?: string;
  field?: string;
};

/** Turns the items of an extract/find into key outcomes: rewrite, convert, validate, decode. */
function itemsToOutcomes(
  id: string,
  entry: ExternalSecretDataFromRemoteRef,
  base: Base,
  items: Item[],
  rules: { strategy: DecodingStrategy; nullBytePolicy?: NullBytePolicy },
  conversion: 'Default' | 'Unicode' | undefined,
): KeyOutcome[] | KeyOutcome {
  const rewrites = entry.rewrite ?? [];
  const targets = new Map<string, Item[]>();
  const dropped: KeyOutcome[] = [];
  try {
    // As ESO's handleExtractSecrets/handleFindAllSecrets: rewrite, or else convert.
    const rename: KeyRewriter = rewrites.length
      ? compileRewrites(rewrites)
      : name => convertKey(conversion, name);
    for (const item of items) {
      const key = rename(item.name);
      // ESO's ValidateKeys drops a key that became empty.
      if (key !== '') targets.set(key, [...(targets.get(key) ?? []), item]);
      else dropped.push(droppedNote(id, base, item.name));
    }
  } catch (e) {
    if (!(e instanceof RewriteError)) throw e;
    return failed(base, 'RewriteFailed', `${id}.${e.message}`);
  }
  const produced = [...targets].flatMap(([key, sources]) =>
    sources.map(item => {
      const itemBase: Base = {
        ...base,
        secretKey: key,
        ...(item.field !== undefined
          ? { property: item.field }
          : { remoteKey: item.name }),
      };
      if (sources.length > 1) {
        const names = sources.map(s => `"${s.name}"`).join(' and ');
        return failed(
          itemBase,
          'DuplicateKey',
          `${id}: remote ${names} both become key "${key}"; change the rewrite so each key is unique`,
        );
      }
      const problem = secretKeyProblem(key);
      if (problem)
        return failed(
          itemBase,
          'InvalidKey',
          `${id}: remote "${item.name}" becomes key "${key}": ${problem}; use rewrite or conversionStrategy to change it`,
        );
      return decodeOutcome(itemBase, rules, item.value.bytes(), item.version);
    }),
  );
  return [...produced, ...dropped];
}

/** A remote name ESO's ValidateKeys drops because its key became empty. */
function droppedNote(id: string, base: Base, name: string): KeyOutcome {
  return {
    status: {
      ...base,
      remoteKey: name,
      state: 'synced',
      reason: 'EmptyResult',
      message: `${id}: remote "${name}" becomes an empty key and is dropped, as ESO does`,
    },
  };
}

/** No outcome names a key: the entry yields nothing to write. */
function producesNoKey(outcomes: KeyOutcome[]): boolean {
  return outcomes.every(o => o.status.secretKey === undefined);
}

function extractItems(
  value: SecretValue,
  property: string | undefined,
  remoteKey: string,
): Item[] | { reason: KeyStatus['reason']; message: string } {
  let node: JsonNode;
  if (property) {
    const selected = selectProperty(value, property, remoteKey);
    if (!('node' in selected)) return selected;
    node = selected.node;
  } else {
    try {
      node = parseJsonDocument(value.text());
    } catch {
      return {
        reason: 'NotJson',
        message: `extract needs a JSON object, but remote key "${remoteKey}" is not JSON`,
      };
    }
  }
  if (node.type !== 'object')
    return {
      reason: 'NotJson',
      message: `extract needs a JSON object, but remote key "${remoteKey}" holds a JSON ${node.type}`,
    };
  return [...node.entries].map(([field, child]) => ({
    name: field,
    field,
    value: SecretValue.fromString(jsonLeafText(child)),
  }));
}

/**
 * One `spec.dataFrom` entry: `extract` (a JSON object's fields) or `find` (many
 * secrets), then rewrite or key conversion, key checks and decoding.
 */
export function resolveDataFromEntry(
  ctx: EntryContext,
  entry: ExternalSecretDataFromRemoteRef,
  index: number,
): EntryResult {
  const id = `dataFrom[${index}]`;
  const storeRef = effectiveStoreRef(ctx.parsed, entry.sourceRef);
  const remoteKey =
    entry.extract?.key ?? entry.find?.path ?? entry.find?.name?.regexp;
  const base: Base = {
    source: id,
    storeRef,
    ...(remoteKey !== undefined ? { remoteKey } : {}),
  };
  if (entry.sourceRef?.generatorRef)
    return unsupportedEntry(id, base, 'sourceRef.generatorRef');
  const unsupportedRewrite = (entry.rewrite ?? []).findIndex(
    op => !op.regexp && !op.transform,
  );
  if (unsupportedRewrite >= 0)
    return unsupportedEntry(id, base, `rewrite[${unsupportedRewrite}].merge`);
  if (entry.extract?.metadataPolicy === 'Fetch')
    return unsupportedEntry(id, base, 'extract.metadataPolicy: Fetch');
  if (!entry.extract && !entry.find)
    return entryFailure(
      id,
      failed(base, 'InvalidEntry', `${id} needs extract or find`),
      false,
    );
  const fetched = fetchFor(ctx, id, base, storeRef);
  if ('status' in fetched) {
    if (entry.extract && isGone(ctx, id)) {
      const outcome = goneOutcome(ctx, id, base, storeRef!, false);
      return {
        id,
        outcomes: [outcome],
        complete: ctx.deletionPolicy !== 'Retain',
        gone: true,
      };
    }
    return entryFailure(id, fetched, false);
  }
  if (entry.extract) {
    if (!('secret' in fetched))
      return entryFailure(
        id,
        failed(
          base,
          'ProviderError',
          `${id}: the provider answered a get with a list`,
        ),
        false,
      );
    const items = extractItems(
      fetched.secret.value,
      entry.extract.property,
      entry.extract.key,
    );
    if (!Array.isArray(items))
      return entryFailure(id, failed(base, items.reason, items.message), false);
    const version = fetched.secret.version;
    const withVersion = items.map(item => ({
      ...item,
      ...(version ? { version } : {}),
    }));
    const outcomes = itemsToOutcomes(
      id,
      entry,
      base,
      withVersion,
      {
        strategy: entry.extract.decodingStrategy,
        nullBytePolicy: entry.extract.nullBytePolicy,
      },
      entry.extract.conversionStrategy,
    );
    if (!Array.isArray(outcomes)) return entryFailure(id, outcomes, false);
    if (producesNoKey(outcomes))
      return {
        id,
        outcomes: [
          ...outcomes,
          {
            status: {
              ...base,
              state: 'synced',
              reason: 'EmptyResult',
              message: `remote key "${entry.extract.key}" gives no keys (an empty JSON object, or every key became empty after rewrite)`,
            },
          },
        ],
        complete: true,
        gone: false,
      };
    return { id, outcomes, complete: true, gone: false };
  }
  const find = entry.find!;
  if (!('secrets' in fetched))
    return entryFailure(
      id,
      failed(
        base,
        'ProviderError',
        `${id}: the provider answered a find with a single secret`,
      ),
      false,
    );
  if (fetched.secrets.size === 0) {
    const message = `find matched no secrets in ${storeRefKey(
      storeRef!,
    )}; existing keys are kept (an empty result is never treated as deletion)`;
    return {
      id,
      outcomes: [
        {
          status: { ...base, state: 'synced', reason: 'EmptyResult', message },
        },
      ],
      complete: false,
      gone: false,
    };
  }
  const items = [...fetched.secrets].map(([name, secret]) => ({
    name,
    value: secret.value,
    ...(secret.version ? { version: secret.version } : {}),
  }));
  const outcomes = itemsToOutcomes(
    id,
    entry,
    base,
    items,
    { strategy: find.decodingStrategy, nullBytePolicy: find.nullBytePolicy },
    find.conversionStrategy,
  );
  if (!Array.isArray(outcomes)) return entryFailure(id, outcomes, false);
  // Every name rewritten to "" (ESO drops such keys): no keys is never
  // evidence, so the entry's current keys are kept, as for an empty listing.
  if (producesNoKey(outcomes))
    return {
      id,
      outcomes: [
        ...outcomes,
        {
          status: {
            ...base,
            state: 'synced',
            reason: 'EmptyResult',
            message: `every secret find returned became an empty key after rewrite; existing keys are kept (an empty result is never treated as deletion)`,
          },
        },
      ],
      complete: false,
      gone: false,
    };
  // A successful, non-empty listing is the whole answer: as ESO re-renders
  // from it, keys it no longer returns are dropped (an empty one keeps them).
  return { id, outcomes, complete: true, gone: false };
}
