import { InfisicalProviderSpec } from '../types/eso';
import { ValidationIssue } from '../types/validation';
import { issueAt, unsupportedAt } from './createIssue';
import { exactlyOneOf } from './entryRules';
import { PathSegment } from './fieldPath';
import { parseWithSchema } from './parseWithSchema';
import { ProviderParse, StoreScope } from './providerParse';
import { hasField, isRecord, valueAt } from './rawValue';
import {
  SUPPORTED_INFISICAL_AUTH_KINDS,
  UNSUPPORTED_INFISICAL_AUTH_KINDS,
  infisicalProviderSchema,
} from './secretStoreSchemas';

const PATH = ['spec', 'provider', 'infisical'];
const AUTH_PATH = [...PATH, 'auth'];

/** ESO: caProvider.namespace is required for a ClusterSecretStore and forbidden for a SecretStore. */
function checkCa(
  raw: Record<string, unknown>,
  scope: StoreScope,
): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (hasField(raw, 'caBundle') && hasField(raw, 'caProvider')) {
    issues.push(
      issueAt(
        [...PATH, 'caBundle'],
        'must not be set together with caProvider',
      ),
    );
  }
  const caProvider = raw.caProvider;
  if (!isRecord(caProvider)) return issues;
  const path = [...PATH, 'caProvider', 'namespace'];
  if (
    scope.kind === 'ClusterSecretStore' &&
    caProvider.namespace === undefined
  ) {
    issues.push(issueAt(path, 'is required for a ClusterSecretStore'));
  }
  if (scope.kind === 'SecretStore' && caProvider.namespace !== undefined) {
    issues.push(
      issueAt(
        path,
        "must be empty for a SecretStore: the CA is read from the store's own namespace",
        caProvider.namespace,
      ),
    );
  }
  return issues;
}

const SELECTORS: Record<string, readonly string[]> = {
  universalAuthCredentials: ['clientId', 'clientSecret'],
  kubernetesAuthCredentials: ['identityId', 'serviceAccountTokenPath'],
};

/** ESO: a SecretStore may only read Secrets from its own namespace. */
function checkSelectorNamespaces(
  auth: unknown,
  scope: StoreScope,
): ValidationIssue[] {
  if (scope.kind !== 'SecretStore') return [];
  return Object.entries(SELECTORS).flatMap(([kind, fields]) =>
    fields.flatMap(field => {
      const namespace = valueAt(auth, [kind, field, 'namespace']);
      if (namespace === undefined || namespace === scope.namespace) return [];
      const path: PathSegment[] = [...AUTH_PATH, kind, field, 'namespace'];
      return [
        issueAt(
          path,
          `must be empty or the store's own namespace${
            scope.namespace ? ` "${scope.namespace}"` : ''
          } for a SecretStore`,
          namespace,
        ),
      ];
    }),
  );
}

function checkAuth(auth: unknown, scope: StoreScope): ProviderParse<never> {
  if (!isRecord(auth)) return { issues: [], deferred: [] };
  const kinds = [
    ...SUPPORTED_INFISICAL_AUTH_KINDS,
    ...UNSUPPORTED_INFISICAL_AUTH_KINDS,
  ];
  const issues = [
    ...exactlyOneOf(
      auth,
      AUTH_PATH,
      kinds.map(kind => [kind]),
      'one auth kind',
    ),
    ...checkSelectorNamespaces(auth, scope),
  ];
  const deferred = UNSUPPORTED_INFISICAL_AUTH_KINDS.filter(kind =>
    hasField(auth, kind),
  ).map(kind =>
    unsupportedAt(
      [...AUTH_PATH, kind],
      'only universalAuthCredentials and kubernetesAuthCredentials are implemented',
    ),
  );
  return { issues, deferred };
}

/**
 * Validates `spec.provider.infisical` and fills ESO's defaults (hostAPI
 * `https://app.infisical.com/api`, secretsPath `/`, recursive false,
 * expandSecretReferences true).
 */
export function parseInfisicalProvider(
  raw: unknown,
  scope: StoreScope,
): ProviderParse<InfisicalProviderSpec> {
  const parsed = parseWithSchema(infisicalProviderSchema, raw, PATH);
  if (!isRecord(raw)) return { issues: parsed.issues, deferred: [] };
  const auth = checkAuth(raw.auth, scope);
  return {
    value: parsed.value,
    issues: [...parsed.issues, ...checkCa(raw, scope), ...auth.issues],
    deferred: auth.deferred,
  };
}
