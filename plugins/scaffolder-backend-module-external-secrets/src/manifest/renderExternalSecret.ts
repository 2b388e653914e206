import { InputError } from '@backstage/errors';
import { JsonObject } from '@backstage/types';
import {
  ESO_API_VERSION,
  ParsedExternalSecret,
  parseExternalSecret,
  ValidationIssue,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import { stringify } from 'yaml';

/**
 * What the `external-secrets:create` action turns into a manifest. Field names
 * follow the ExternalSecret spec, so an input path maps to `spec.<path>`.
 *
 * @public
 */
export type ExternalSecretInput = {
  name: string;
  namespace: string;
  labels?: Record<string, string>;
  store: { kind: string; name: string };
  refreshInterval?: string;
  target?: JsonObject;
  data?: JsonObject[];
  dataFrom?: JsonObject[];
};

/**
 * What `renderExternalSecret` produces: the manifest, its YAML and the domain core's reading of it.
 *
 * @public
 */
export type RenderedExternalSecret = {
  /** The manifest as written: only what the input set (ESO fills its defaults). */
  manifest: JsonObject;
  yaml: string;
  /** The domain core's reading of it, defaults filled. */
  parsed: ParsedExternalSecret;
  /** Non-blocking findings (unknown fields, deprecations). */
  warnings: ValidationIssue[];
};

/** Drops undefined fields, so the manifest carries only what was given. */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(
    Object.entries(value).filter(([, v]) => v !== undefined),
  ) as T;
}

function buildManifest(input: ExternalSecretInput): JsonObject {
  const labels =
    input.labels && Object.keys(input.labels).length > 0
      ? input.labels
      : undefined;
  return {
    apiVersion: ESO_API_VERSION,
    kind: 'ExternalSecret',
    metadata: compact({
      name: input.name,
      namespace: input.namespace,
      labels,
    }),
    spec: compact({
      refreshInterval: input.refreshInterval,
      secretStoreRef: { kind: input.store.kind, name: input.store.name },
      target: { name: input.name, ...input.target },
      data: input.data?.length ? input.data : undefined,
      dataFrom: input.dataFrom?.length ? input.dataFrom : undefined,
    }),
  };
}

/**
 * Renders an `external-secrets.io/v1` ExternalSecret from the action's input
 * and validates it with the domain core (ESO's rules, cross-field checks and
 * template safety). Every blocking issue, entry-level ones included, fails the
 * whole render: a scaffolded manifest must be entirely valid.
 *
 * @throws InputError listing every issue with its field path.
 * @public
 */
export function renderExternalSecret(
  input: ExternalSecretInput,
): RenderedExternalSecret {
  const manifest = buildManifest(input);
  const result = parseExternalSecret(manifest);
  const blocking = result.issues.filter(i => i.severity !== 'warning');
  if (!result.ok || blocking.length > 0) {
    throw new InputError(
      `ExternalSecret ${input.namespace}/${input.name} is not valid: ${blocking
        .map(i => i.message)
        .join('; ')}`,
    );
  }
  return {
    manifest,
    yaml: stringify(manifest),
    parsed: result.value,
    warnings: result.issues.filter(i => i.severity === 'warning'),
  };
}
