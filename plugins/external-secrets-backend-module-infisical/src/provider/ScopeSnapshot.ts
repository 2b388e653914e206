import { SecretValue } from '@external-secrets-backstage/backstage-plugin-external-secrets-node';
import type { WireSecret, WireSecretList } from '../client/wireTypes';
import { normalizeFolderPath } from './resolveSecretAddress';

/** One secret of a listing, value already wrapped so it cannot leak. */
export type SnapshotEntry = {
  key: string;
  value: SecretValue;
  version?: string;
  /** The folder the secret is visible in (for an import: the folder holding the import). */
  path: string;
  /** Set for secrets that come from a secret import. */
  importedFrom?: { environment: string; path: string };
  /** Tag slugs; undefined when the instance returned no tag data. */
  tagSlugs?: string[];
  /** The identity may see the name but not the value. */
  hidden: boolean;
};

/**
 * The parsed answer of one list call (a folder, maybe recursive). Wire
 * objects are dropped right after parsing; only SecretValues are kept.
 * Precedence follows Infisical: a local secret wins over an imported one with
 * the same key, and among imports the last one wins (as Infisical's
 * single-secret read resolves them).
 */
export class ScopeSnapshot {
  private constructor(
    readonly listedPath: string,
    readonly entries: readonly SnapshotEntry[],
  ) {}

  static fromWire(list: WireSecretList, listedPath: string): ScopeSnapshot {
    const folder = normalizeFolderPath(listedPath);
    const local = list.secrets.map(secret => entryFromWire(secret, folder));
    const imported = list.imports.flatMap(block =>
      block.secrets.map(secret => ({
        ...entryFromWire({ ...secret, secretPath: folder }, folder),
        importedFrom: {
          environment: block.environment,
          path: block.secretPath,
        },
      })),
    );
    return new ScopeSnapshot(folder, [...local, ...imported]);
  }

  get size(): number {
    return this.entries.length;
  }

  /** True when every entry carries tag data (so tags can be filtered locally). */
  get hasTagData(): boolean {
    return this.entries.every(entry => entry.tagSlugs !== undefined);
  }

  /** The secret `name` as seen in `folder`: local first, else the last import of that folder. */
  lookup(folder: string, name: string): SnapshotEntry | undefined {
    const candidates = this.entries.filter(
      e => e.key === name && e.path === folder,
    );
    return (
      candidates.find(e => !e.importedFrom) ??
      candidates.filter(e => e.importedFrom).pop()
    );
  }

  /** Folders holding a local secret named `name` (for "did you mean" hints). */
  foldersHolding(name: string): string[] {
    return this.entries
      .filter(e => e.key === name && !e.importedFrom)
      .map(e => e.path);
  }

  /**
   * Secrets by key as a flattened read (ESO's GetAllSecrets) sees them: every
   * local secret, and imported ones not shadowed by a local secret of the same
   * key. Keys held locally in several folders keep all their entries, so the
   * caller can report the collision instead of picking one.
   */
  byKey(): Map<string, SnapshotEntry[]> {
    const result = new Map<string, SnapshotEntry[]>();
    for (const entry of this.entries.filter(e => !e.importedFrom)) {
      result.set(entry.key, [...(result.get(entry.key) ?? []), entry]);
    }
    for (const entry of this.entries.filter(e => e.importedFrom)) {
      const existing = result.get(entry.key);
      if (!existing || existing[0].importedFrom) result.set(entry.key, [entry]);
    }
    return result;
  }
}

/** One wire secret as a snapshot entry; `folder` is used when the secret carries no path. */
export function entryFromWire(
  secret: WireSecret,
  folder: string,
): SnapshotEntry {
  return {
    key: secret.secretKey,
    value: SecretValue.fromString(
      secret.secretValueHidden ? '' : secret.secretValue,
    ),
    version: secret.version === undefined ? undefined : String(secret.version),
    path: normalizeFolderPath(secret.secretPath ?? folder),
    tagSlugs: secret.tagSlugs,
    hidden: secret.secretValueHidden,
  };
}
