import { KeyStatusRecord } from '../database/StatusStore';

/**
 * What an ExternalSecret that did not parse still says about itself (store,
 * refresh interval, mappings), read field by field with no validation, for
 * display only: a broken `refreshInterval` or a YAML error must not hide which
 * store and keys the ExternalSecret is about. Nothing here is ever read from a
 * provider or written.
 */
export type RawSketch = {
  storeKind?: string;
  storeName?: string;
  refreshInterval?: string;
  keys: KeyStatusRecord[];
};

type RawStoreRef = { kind?: unknown; name?: unknown } | undefined;
type RawEntry = {
  secretKey?: unknown;
  remoteRef?: { key?: unknown; property?: unknown };
  extract?: { key?: unknown };
  sourceRef?: { storeRef?: RawStoreRef };
};

export function sketchOf(raw: unknown, message: string): RawSketch {
  const spec = (raw as { spec?: Record<string, unknown> } | undefined)?.spec;
  if (!spec || typeof spec !== 'object') return { keys: [] };
  const store = storeOf(spec.secretStoreRef as RawStoreRef);
  const entries = (field: 'data' | 'dataFrom') =>
    (Array.isArray(spec[field]) ? (spec[field] as RawEntry[]) : []).map(
      (entry, index): KeyStatusRecord => {
        const own = storeOf(entry?.sourceRef?.storeRef) ?? store;
        return {
          source: `${field}[${index}]`,
          secretKey: text(entry?.secretKey),
          remoteKey: text(entry?.remoteRef?.key) ?? text(entry?.extract?.key),
          property: text(entry?.remoteRef?.property),
          storeKind: own?.kind,
          storeName: own?.name,
          state: 'error',
          message,
        };
      },
    );
  return {
    storeKind: store?.kind,
    storeName: store?.name,
    refreshInterval: text(spec.refreshInterval),
    keys: [...entries('data'), ...entries('dataFrom')],
  };
}

function storeOf(ref: RawStoreRef): { kind: string; name: string } | undefined {
  const name = text(ref?.name);
  if (!name) return undefined;
  return { kind: text(ref?.kind) ?? 'SecretStore', name };
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
