import type { ScopeSnapshot, SnapshotEntry } from './ScopeSnapshot';

/** Unique, sorted key names of the readable entries of `snapshot`. */
export function keyNamesOf(
  snapshot: ScopeSnapshot,
  scopeFolder: string,
): string[] {
  const names = snapshot.entries
    .filter(entry => !entry.hidden)
    .map(entry => keyNameOf(entry, scopeFolder));
  return [...new Set(names)].sort();
}

/** `NAME` in the scope folder, `/folder/NAME` elsewhere (as resolveSecretAddress reads it back). */
function keyNameOf(entry: SnapshotEntry, scopeFolder: string): string {
  if (entry.path === scopeFolder) return entry.key;
  return entry.path === '/' ? `/${entry.key}` : `${entry.path}/${entry.key}`;
}
