import type {
  ExternalSecretMapping,
  ExternalSecretMappingsStore,
} from './types';

/**
 * The `ExternalSecretMappingsPicker` field's value while the user is still
 * filling it in (store and rows may be missing).
 *
 * @public
 */
export type ExternalSecretMappingsDraft = {
  store?: ExternalSecretMappingsStore;
  data?: ExternalSecretMapping[];
};

/** What is wrong with one mapping row, per input. */
export type MappingRowIssues = { remoteKey?: string; secretKey?: string };

/** What is wrong with the whole value; empty fields mean "fine". */
export type MappingsIssues = {
  store?: string;
  mappings?: string;
  rows: MappingRowIssues[];
};

/** ESO's pattern for `spec.data[].secretKey` (a Kubernetes Secret key). */
const SECRET_KEY_PATTERN = /^[-._a-zA-Z0-9]+$/;
const SECRET_KEY_MAX_LENGTH = 253;

export const REQUIRED_MESSAGES = {
  store: 'Choose a store',
  mappings: 'Add at least one mapping',
  remoteKey: 'Remote key is required',
  secretKey: 'Secret key is required',
} as const;

/**
 * Checks the value the way ESO will: a store, at least one mapping, every
 * remote key set, every secret key a valid Kubernetes Secret key, used once.
 */
export function validateMappings(
  value: ExternalSecretMappingsDraft | undefined,
): MappingsIssues {
  const data = value?.data ?? [];
  const firstRowOfKey = new Map<string, number>();
  const rows = data.map((mapping, index) => {
    const secretKey = mapping.secretKey ?? '';
    const issues: MappingRowIssues = {
      remoteKey: mapping.remoteRef?.key?.trim()
        ? undefined
        : REQUIRED_MESSAGES.remoteKey,
      secretKey: secretKeyIssue(secretKey, firstRowOfKey.get(secretKey)),
    };
    if (secretKey && !firstRowOfKey.has(secretKey)) {
      firstRowOfKey.set(secretKey, index);
    }
    return issues;
  });
  return {
    store:
      value?.store?.kind && value.store.name
        ? undefined
        : REQUIRED_MESSAGES.store,
    mappings: data.length > 0 ? undefined : REQUIRED_MESSAGES.mappings,
    rows,
  };
}

function secretKeyIssue(
  secretKey: string,
  firstRowWithSameKey: number | undefined,
): string | undefined {
  if (!secretKey) return REQUIRED_MESSAGES.secretKey;
  if (!SECRET_KEY_PATTERN.test(secretKey)) {
    return 'Use only letters, digits, "-", "_" and "." (^[-._a-zA-Z0-9]+$)';
  }
  if (secretKey.length > SECRET_KEY_MAX_LENGTH) {
    return `At most ${SECRET_KEY_MAX_LENGTH} characters`;
  }
  if (firstRowWithSameKey !== undefined) {
    return `Already used by mapping ${firstRowWithSameKey + 1}`;
  }
  return undefined;
}

/** Every issue as one sentence, rows numbered from 1, for the form's error list. */
export function describeIssues(issues: MappingsIssues): string[] {
  const messages = [issues.store, issues.mappings].filter(
    (message): message is string => Boolean(message),
  );
  issues.rows.forEach((row, index) => {
    if (row.remoteKey) messages.push(`Mapping ${index + 1}: ${row.remoteKey}`);
    if (row.secretKey) {
      messages.push(`Mapping ${index + 1}, secret key: ${row.secretKey}`);
    }
  });
  return messages;
}
