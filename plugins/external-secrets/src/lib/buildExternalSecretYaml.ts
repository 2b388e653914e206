import type {
  ExternalSecretStatusDto,
  KeyMappingDto,
  StoreRefDto,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import { Document } from 'yaml';

const DATA_SOURCE = /^data\[(\d+)\]$/;

function sameStore(a?: StoreRefDto, b?: StoreRefDto): boolean {
  return a?.kind === b?.kind && a?.name === b?.name;
}

type DataKey = KeyMappingDto & { secretKey: string; remoteKey: string };

function isDataKey(key: KeyMappingDto): key is DataKey {
  return DATA_SOURCE.test(key.source) && !!key.secretKey && !!key.remoteKey;
}

/** One `spec.data[]` entry per `data[i]` mapping, in manifest order. */
function dataEntries(es: ExternalSecretStatusDto): DataKey[] {
  const byIndex = new Map<number, DataKey>();
  for (const key of es.keys.filter(isDataKey)) {
    byIndex.set(Number(DATA_SOURCE.exec(key.source)?.[1]), key);
  }
  return [...byIndex.entries()].sort(([a], [b]) => a - b).map(([, k]) => k);
}

function dataEntry(key: DataKey, defaultStore?: StoreRefDto) {
  return {
    secretKey: key.secretKey,
    remoteRef: {
      key: key.remoteKey,
      ...(key.property ? { property: key.property } : {}),
    },
    ...(key.store && !sameStore(key.store, defaultStore)
      ? {
          sourceRef: {
            storeRef: { kind: key.store.kind, name: key.store.name },
          },
        }
      : {}),
  };
}

/**
 * The ExternalSecret as declared, rebuilt from the status DTO's REFERENCE
 * fields only (names, store, target, policies, remote keys). Nothing else of
 * the DTO (messages, reasons, versions) is read, so nothing but references can
 * end up in the copyable manifest.
 */
export function buildExternalSecretYaml(es: ExternalSecretStatusDto): string {
  const data = dataEntries(es);
  const manifest = {
    apiVersion: 'external-secrets.io/v1',
    kind: 'ExternalSecret',
    metadata: { name: es.name, namespace: es.namespace },
    spec: {
      ...(es.refreshInterval ? { refreshInterval: es.refreshInterval } : {}),
      ...(es.refreshPolicy ? { refreshPolicy: es.refreshPolicy } : {}),
      ...(es.store
        ? { secretStoreRef: { kind: es.store.kind, name: es.store.name } }
        : {}),
      target: {
        name: es.targetSecret,
        ...(es.creationPolicy ? { creationPolicy: es.creationPolicy } : {}),
        ...(es.deletionPolicy ? { deletionPolicy: es.deletionPolicy } : {}),
      },
      ...(data.length > 0
        ? { data: data.map(key => dataEntry(key, es.store)) }
        : {}),
    },
  };
  // YAML 1.1 so that `yes`, `on`, `0123`... are quoted: kubectl's parser
  // (go-yaml) reads them as booleans and numbers, not as strings.
  const doc = new Document(manifest, { version: '1.1' });
  if (es.keys.some(key => key.source.startsWith('dataFrom['))) {
    (doc.get('spec', true) as { comment?: string }).comment = [
      ' spec.dataFrom is not shown: the status lists the keys it produced,',
      ' not its extract/find selectors.',
    ].join('\n');
  }
  return doc.toString({ lineWidth: 0 });
}
