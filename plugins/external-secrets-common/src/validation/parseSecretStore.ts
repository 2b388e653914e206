import {
  ESO_API_VERSION_V1BETA1,
  SecretStore,
  SecretStoreProvider,
  StoreKind,
} from '../types/eso';
import {
  ParseResult,
  ParsedSecretStore,
  ValidationIssue,
} from '../types/validation';
import { V1BETA1_WARNING } from './commonSchemas';
import { describeFound } from './entryRules';
import { isBlocking, issueAt, warningAt } from './createIssue';
import { guardedParse } from './guardedParse';
import { parseFakeProvider } from './parseFakeProvider';
import { parseInfisicalProvider } from './parseInfisicalProvider';
import { parseWithSchema } from './parseWithSchema';
import { ProviderParse, StoreScope } from './providerParse';
import { hasField, isRecord, valueAt } from './rawValue';
import { readDocument } from './readDocument';
import {
  secretStoreSchema,
  secretStoreStatusSchema,
} from './secretStoreSchemas';

function readScope(raw: Record<string, unknown>): StoreScope {
  const kind: StoreKind =
    raw.kind === 'ClusterSecretStore' ? 'ClusterSecretStore' : 'SecretStore';
  const namespace = valueAt(raw, ['metadata', 'namespace']);
  return {
    kind,
    namespace: typeof namespace === 'string' ? namespace : undefined,
  };
}

/** Dispatches `spec.provider` by its single key. */
function parseProvider(
  provider: unknown,
  scope: StoreScope,
): ProviderParse<SecretStoreProvider> {
  if (!isRecord(provider)) return { issues: [], deferred: [] };
  const names = Object.keys(provider);
  if (names.length !== 1) {
    return {
      issues: [
        issueAt(
          ['spec', 'provider'],
          `must set exactly one provider (${describeFound(names)})`,
        ),
      ],
      deferred: [],
    };
  }
  const [name] = names;
  if (name === 'infisical') {
    const parsed = parseInfisicalProvider(provider.infisical, scope);
    return { ...parsed, value: parsed.value && { infisical: parsed.value } };
  }
  if (name === 'fake') {
    const parsed = parseFakeProvider(provider.fake);
    return { ...parsed, value: parsed.value && { fake: parsed.value } };
  }
  // Providers from other modules (spec.provider.<name>) are validated by the
  // module that registers them; whether one is installed is the backend's call.
  if (!isRecord(provider[name])) {
    return {
      issues: [
        issueAt(
          ['spec', 'provider', name],
          'must be an object',
          provider[name],
        ),
      ],
      deferred: [],
    };
  }
  return { issues: [], deferred: [], value: { [name]: provider[name] } };
}

function checkObject(
  raw: Record<string, unknown>,
  scope: StoreScope,
): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (raw.apiVersion === ESO_API_VERSION_V1BETA1) {
    issues.push(warningAt(['apiVersion'], V1BETA1_WARNING, raw.apiVersion));
  }
  if (scope.kind === 'SecretStore' && hasField(raw.spec, 'conditions')) {
    issues.push(
      warningAt(
        ['spec', 'conditions'],
        'only used by a ClusterSecretStore, ignored',
      ),
    );
  }
  return issues;
}

function readStatus(
  raw: unknown,
): Pick<SecretStore, 'status'> & { issues: ValidationIssue[] } {
  if (raw === undefined) return { issues: [] };
  const parsed = secretStoreStatusSchema.safeParse(raw);
  if (parsed.success) return { status: parsed.data, issues: [] };
  return {
    issues: [
      warningAt(['status'], 'ignored: not a readable SecretStore status'),
    ],
  };
}

function parse(input: unknown): ParseResult<ParsedSecretStore> {
  const document = readDocument(input);
  if (!document.ok) return { ok: false, issues: document.issues };
  const raw = document.value;
  if (!isRecord(raw)) {
    return {
      ok: false,
      issues: [
        issueAt(
          [],
          'must be an object (a SecretStore or ClusterSecretStore manifest)',
          raw,
        ),
      ],
    };
  }
  const scope = readScope(raw);
  const object = parseWithSchema(secretStoreSchema, raw, []);
  const provider = parseProvider(valueAt(raw, ['spec', 'provider']), scope);
  const status = readStatus(raw.status);
  const blocking = [
    ...object.issues,
    ...checkObject(raw, scope),
    ...provider.issues,
  ];
  const issues = [...blocking, ...provider.deferred, ...status.issues];
  if (!object.value || !provider.value || blocking.some(isBlocking)) {
    return { ok: false, issues };
  }

  const { apiVersion, kind, metadata, spec } = object.value;
  const { conditions, ...rest } = spec;
  const store: SecretStore = {
    apiVersion,
    kind,
    metadata,
    spec: {
      ...rest,
      provider: provider.value,
      // Namespace conditions only mean something on a ClusterSecretStore.
      ...(kind === 'ClusterSecretStore' && conditions ? { conditions } : {}),
    },
    ...(status.status ? { status: status.status } : {}),
  };
  return { ok: true, value: store, issues };
}

/**
 * Parses and validates a SecretStore or ClusterSecretStore manifest
 * (`external-secrets.io/v1`, or `v1beta1` with a deprecation warning).
 *
 * `spec.provider` must hold exactly one provider. `infisical` gets ESO's
 * defaults and rules (secretsScope slugs, exactly one auth kind,
 * caProvider.namespace for ClusterSecretStore, base64 caBundle); `fake` holds
 * static data. Other providers (aws, vault, ...) fail with
 * `spec.provider.aws: unsupported: provider "aws" is not installed ...`.
 *
 * Infisical auth kinds that ESO has and we do not (azure, jwt, ...) do not
 * fail the parse: they are listed in `auth.unsupportedKinds` with an
 * `unsupported` issue, so the provider can mark the store not usable with that
 * reason. Never throws.
 *
 * @param input - YAML or JSON text of one document, or an already-parsed object.
 * @example
 * ```ts
 * const result = parseSecretStore(yamlText);
 * if (result.ok && result.value.spec.provider.infisical) {
 *   result.value.spec.provider.infisical.hostAPI; // 'https://app.infisical.com/api' by default
 * }
 * ```
 * @public
 */
export function parseSecretStore(
  input: string | unknown,
): ParseResult<ParsedSecretStore> {
  return guardedParse(() => parse(input));
}
