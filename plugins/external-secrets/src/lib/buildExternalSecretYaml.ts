import type {
  ExternalSecretStatusDto,
  KeyMappingDto,
  StoreRefDto,
} from '@internal/backstage-plugin-external-secrets-common';

const DATA_SOURCE = /^data\[(\d+)\]$/;
const PLAIN_SCALAR = /^[A-Za-z0-9_/][A-Za-z0-9_./-]*$/;
const YAML_KEYWORD = /^(true|false|yes|no|on|off|y|n|null)$/i;
const NUMBER_LIKE =
  /^[-+]?(\.\d+|\d+(\.\d*)?)([eE][-+]?\d+)?$|^[\d._-]+$|^0[xob]/i;

/**
 * A YAML scalar: plain when it cannot be read back as anything but the same
 * string, otherwise double-quoted (a JSON string is a valid YAML one).
 */
function scalar(value: string): string {
  const plain =
    PLAIN_SCALAR.test(value) &&
    !YAML_KEYWORD.test(value) &&
    !NUMBER_LIKE.test(value);
  return plain ? value : JSON.stringify(value);
}

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

function dataEntryLines(key: DataKey, defaultStore?: StoreRefDto): string[] {
  const lines = [
    `    - secretKey: ${scalar(key.secretKey)}`,
    '      remoteRef:',
    `        key: ${scalar(key.remoteKey)}`,
  ];
  if (key.property) lines.push(`        property: ${scalar(key.property)}`);
  if (key.store && !sameStore(key.store, defaultStore)) {
    lines.push(
      '      sourceRef:',
      '        storeRef:',
      `          kind: ${scalar(key.store.kind)}`,
      `          name: ${scalar(key.store.name)}`,
    );
  }
  return lines;
}

/**
 * The ExternalSecret as declared, rebuilt from the status DTO's REFERENCE
 * fields only (names, store, target, policies, remote keys). Nothing else of
 * the DTO (messages, reasons, versions) is read, so nothing but references can
 * end up in the copyable manifest.
 */
export function buildExternalSecretYaml(es: ExternalSecretStatusDto): string {
  const lines = [
    'apiVersion: external-secrets.io/v1',
    'kind: ExternalSecret',
    'metadata:',
    `  name: ${scalar(es.name)}`,
    `  namespace: ${scalar(es.namespace)}`,
    'spec:',
  ];
  if (es.refreshInterval) {
    lines.push(`  refreshInterval: ${scalar(es.refreshInterval)}`);
  }
  if (es.refreshPolicy) {
    lines.push(`  refreshPolicy: ${scalar(es.refreshPolicy)}`);
  }
  if (es.store) {
    lines.push(
      '  secretStoreRef:',
      `    kind: ${scalar(es.store.kind)}`,
      `    name: ${scalar(es.store.name)}`,
    );
  }
  lines.push('  target:', `    name: ${scalar(es.targetSecret)}`);
  if (es.creationPolicy) {
    lines.push(`    creationPolicy: ${scalar(es.creationPolicy)}`);
  }
  if (es.deletionPolicy) {
    lines.push(`    deletionPolicy: ${scalar(es.deletionPolicy)}`);
  }
  const data = dataEntries(es);
  if (data.length > 0) {
    lines.push('  data:');
    data.forEach(key => lines.push(...dataEntryLines(key, es.store)));
  }
  if (es.keys.some(key => key.source.startsWith('dataFrom['))) {
    lines.push(
      '  # spec.dataFrom is not shown: the status lists the keys it produced,',
      '  # not its extract/find selectors.',
    );
  }
  return `${lines.join('\n')}\n`;
}
