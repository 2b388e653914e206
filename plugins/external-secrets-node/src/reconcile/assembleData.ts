import type { SecretValue } from '../values/SecretValue';
import type { TemplateData } from './applyTemplate';
import { isFailure } from './conditions';
import type { EntryResult } from './resolveEntries';
import type { KeyStatus, ReconcileInput } from './types';

/** Failed keys keep their current value; keys proven gone are removed. */
function applyKeyStates(
  data: Map<string, SecretValue>,
  statuses: KeyStatus[],
  currentData: Record<string, SecretValue>,
) {
  for (const status of statuses) {
    const key = status.secretKey;
    if (key === undefined) continue;
    if (status.state === 'removed') data.delete(key);
    else if (isFailure(status) && currentData[key])
      data.set(key, currentData[key]);
  }
}

/**
 * The data to write, in ESO's order: the policy's base (the current data for
 * Merge/CreateOrMerge, or while some entry could not give a full answer),
 * the fetched keys (unless a Replace template renders the data), then the
 * rendered template keys, which win.
 */
export function assembleData(
  input: ReconcileInput,
  entries: EntryResult[],
  produced: Map<string, SecretValue>,
  templateData: TemplateData | undefined,
  statuses: KeyStatus[],
): Map<string, SecretValue> {
  const { current, parsed } = input;
  const { target } = parsed.externalSecret.spec;
  const currentData = current?.data ?? {};
  const mergeBase =
    target.creationPolicy === 'Merge' ||
    target.creationPolicy === 'CreateOrMerge';
  const keepLeftovers = !entries.every(e => e.complete);
  const data = new Map<string, SecretValue>(
    mergeBase || keepLeftovers ? Object.entries(currentData) : [],
  );
  const isTemplateKey = (s: KeyStatus) => s.source.startsWith('template.');
  if (!templateData || target.template?.mergePolicy === 'Merge') {
    produced.forEach((value, key) => data.set(key, value));
    applyKeyStates(
      data,
      statuses.filter(s => !isTemplateKey(s)),
      currentData,
    );
  }
  templateData?.data.forEach((value, key) => data.set(key, value));
  applyKeyStates(data, statuses.filter(isTemplateKey), currentData);
  return data;
}
