import {
  compileGoRegExp,
  type GoRegExp,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import type { RemoteSecret } from '@external-secrets-backstage/backstage-plugin-external-secrets-node';
import type { ScopeSnapshot, SnapshotEntry } from './ScopeSnapshot';
import { providerError, type ErrorContext } from './toProviderError';

/**
 * What `dataFrom.find` returns from one listing: each key once, as a
 * flattened read sees it. A key that matches in several folders, or whose
 * value the identity may not read, fails the find (never a silent pick).
 */
export function collectMatches(
  snapshot: ScopeSnapshot,
  matches: (entry: SnapshotEntry) => boolean,
  context: ErrorContext,
): Map<string, RemoteSecret> {
  const result = new Map<string, RemoteSecret>();
  const collisions: string[] = [];
  const hidden: string[] = [];
  for (const [key, entries] of snapshot.byKey()) {
    const matching = entries.filter(matches);
    if (matching.length > 1) {
      collisions.push(`"${key}" in ${matching.map(e => e.path).join(' and ')}`);
    } else if (matching[0]?.hidden) {
      hidden.push(key);
    } else if (matching[0]) {
      result.set(key, remoteOf(matching[0]));
    }
  }
  if (collisions.length) {
    throw providerError(
      'INVALID_CONFIG',
      `the recursive read found the same key in several folders: ${collisions.join(
        '; ',
      )}`,
      context,
      {
        hint: 'Rename one of them, narrow find.path, or read each with a folder key (/folder/KEY) in spec.data.',
      },
    );
  }
  if (hidden.length) {
    throw providerError(
      'PERMISSION_DENIED',
      `the identity may list but not read the values of ${hidden
        .map(k => `"${k}"`)
        .join(', ')}`,
      context,
    );
  }
  return result;
}

/** A listed entry as the reconciler reads it: value, version, folder. */
export function remoteOf(entry: SnapshotEntry): RemoteSecret {
  return { value: entry.value, version: entry.version, path: entry.path };
}

/** Identifies an entry across listings (a folder and a key). */
export function entryId(entry: SnapshotEntry): string {
  return `${entry.path}\u0000${entry.key}`;
}

/**
 * ESO compiles `find.name.regexp` with Go's regexp and matches it anywhere in
 * the key (MatchString); the common package's RE2 port does the same, in
 * linear time, so a tenant's pattern cannot stall the cycle.
 */
export function compileNameFilter(
  source: string | undefined,
  context: ErrorContext,
): GoRegExp | undefined {
  if (source === undefined) return undefined;
  const compiled = compileGoRegExp(source);
  if (compiled.ok) return compiled.regExp;
  throw providerError(
    'INVALID_REQUEST',
    `find.name.regexp "${source}" is not a valid Go regular expression: ${compiled.reason}`,
    context,
  );
}
