import type {
  InvalidEntry,
  ParsedExternalSecret,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import type { EntryContext, EntryResult } from './entryOutcomes';
import { resolveDataEntry } from './resolveDataEntry';
import { resolveDataFromEntry } from './resolveDataFromEntry';
import type { KeyStatus } from './types';

export type { EntryContext, EntryResult, KeyOutcome } from './entryOutcomes';

export function invalidEntryResult(
  parsed: ParsedExternalSecret,
  invalid: InvalidEntry,
): EntryResult {
  const id = `${invalid.field}[${invalid.index}]`;
  const unsupported =
    invalid.issues.some(i => i.severity === 'unsupported') &&
    !invalid.issues.some(i => i.severity === 'error');
  const message = invalid.issues
    .filter(i => i.severity !== 'warning')
    .map(i => i.message)
    .join('; ');
  const storeRef = parsed.externalSecret.spec.secretStoreRef;
  const status: KeyStatus = {
    ...(invalid.secretKey ? { secretKey: invalid.secretKey } : {}),
    ...(invalid.remoteKey ? { remoteKey: invalid.remoteKey } : {}),
    source: id,
    ...(storeRef ? { storeRef } : {}),
    state: unsupported ? 'unsupported' : 'error',
    reason: unsupported ? 'Unsupported' : 'InvalidEntry',
    message: message || `${id} is invalid`,
  };
  return {
    id,
    outcomes: [{ status }],
    // A data entry's key is known even when invalid; a dataFrom entry's keys are not.
    complete: invalid.field === 'data' && invalid.secretKey !== undefined,
    gone: false,
  };
}

/** Every entry of the ExternalSecret, valid and invalid, in manifest order. */
export function resolveEntries(ctx: EntryContext): EntryResult[] {
  const { parsed } = ctx;
  const { spec } = parsed.externalSecret;
  const results: { order: [number, number]; result: EntryResult }[] = [];
  spec.data.forEach((entry, i) => {
    const index = parsed.dataIndexes[i] ?? i;
    results.push({
      order: [1, index],
      result: resolveDataEntry(ctx, entry, index),
    });
  });
  spec.dataFrom.forEach((entry, i) => {
    const index = parsed.dataFromIndexes[i] ?? i;
    results.push({
      order: [0, index],
      result: resolveDataFromEntry(ctx, entry, index),
    });
  });
  for (const invalid of parsed.invalidEntries) {
    results.push({
      order: [invalid.field === 'dataFrom' ? 0 : 1, invalid.index],
      result: invalidEntryResult(parsed, invalid),
    });
  }
  return results
    .sort((a, b) => a.order[0] - b.order[0] || a.order[1] - b.order[1])
    .map(r => r.result);
}
