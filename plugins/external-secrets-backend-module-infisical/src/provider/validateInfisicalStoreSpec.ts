import { X509Certificate } from 'node:crypto';
import type {
  InfisicalProviderSpec,
  SecretKeySelector,
  SecretStore,
  ValidationIssue,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-common';

const ROOT = 'spec.provider.infisical';
const SUPPORTED_AUTH = [
  'universalAuthCredentials',
  'kubernetesAuthCredentials',
] as const;

/**
 * Static checks of `spec.provider.infisical`, no I/O. Each issue names its field
 * path; ESO's own checks (scope slugs, caProvider namespace, selector
 * namespaces) keep ESO's wording where it has one.
 *
 * @public
 */
export function validateInfisicalStoreSpec(
  store: SecretStore,
): ValidationIssue[] {
  const spec = store.spec.provider.infisical;
  if (!spec) return [issue('error', ROOT, 'is missing')];
  return [
    ...validateScope(spec),
    ...validateHost(spec),
    ...validateAuth(store, spec),
    ...validateCa(store, spec),
  ];
}

function issue(
  severity: ValidationIssue['severity'],
  path: string,
  text: string,
): ValidationIssue {
  return { severity, path, message: `${path} ${text}` };
}

function validateScope(spec: InfisicalProviderSpec): ValidationIssue[] {
  const scope = spec.secretsScope;
  const path = `${ROOT}.secretsScope`;
  const issues: ValidationIssue[] = [];
  if (!scope?.projectSlug?.trim())
    issues.push(issue('error', `${path}.projectSlug`, 'cannot be empty'));
  if (!scope?.environmentSlug?.trim()) {
    issues.push(issue('error', `${path}.environmentSlug`, 'cannot be empty'));
  }
  if (scope?.secretsPath && !scope.secretsPath.startsWith('/')) {
    issues.push(
      issue(
        'error',
        `${path}.secretsPath`,
        `"${scope.secretsPath}" must start with "/"`,
      ),
    );
  }
  return issues;
}

function validateHost(spec: InfisicalProviderSpec): ValidationIssue[] {
  const path = `${ROOT}.hostAPI`;
  if (!spec.hostAPI) return [];
  let url: URL;
  try {
    url = new URL(spec.hostAPI);
  } catch {
    return [issue('error', path, `"${spec.hostAPI}" is not a URL`)];
  }
  if (url.username || url.password) {
    // Not echoed: the URL holds a credential.
    return [
      issue(
        'error',
        path,
        'must not hold a user name or password: credentials belong in auth',
      ),
    ];
  }
  if (url.protocol === 'http:') {
    return [
      issue(
        'warning',
        path,
        'uses plain http: credentials and secret values travel unencrypted',
      ),
    ];
  }
  return url.protocol === 'https:'
    ? []
    : [issue('error', path, 'must be an http(s) URL')];
}

function validateAuth(
  store: SecretStore,
  spec: InfisicalProviderSpec,
): ValidationIssue[] {
  const path = `${ROOT}.auth`;
  const auth = spec.auth ?? {};
  const present = SUPPORTED_AUTH.filter(kind => auth[kind] !== undefined);
  const unsupported = auth.unsupportedKinds ?? [];
  const issues = unsupported.map(kind =>
    issue(
      'unsupported',
      `${path}.${kind}`,
      `is not supported by this plugin (supported: ${SUPPORTED_AUTH.join(
        ', ',
      )})`,
    ),
  );
  const all = [...present, ...unsupported];
  if (all.length === 0) {
    issues.push(
      issue(
        'error',
        path,
        `needs exactly one auth method (supported: ${SUPPORTED_AUTH.join(
          ', ',
        )})`,
      ),
    );
  } else if (all.length > 1) {
    issues.push(
      issue(
        'error',
        path,
        `needs exactly one auth method, found ${all.join(', ')}`,
      ),
    );
  }
  const universal = auth.universalAuthCredentials;
  if (universal) {
    issues.push(
      ...validateSelector(
        store,
        `${path}.universalAuthCredentials.clientId`,
        universal.clientId,
      ),
      ...validateSelector(
        store,
        `${path}.universalAuthCredentials.clientSecret`,
        universal.clientSecret,
      ),
    );
  }
  const kubernetes = auth.kubernetesAuthCredentials;
  if (kubernetes) {
    const base = `${path}.kubernetesAuthCredentials`;
    issues.push(
      ...validateSelector(store, `${base}.identityId`, kubernetes.identityId),
    );
    if (kubernetes.serviceAccountTokenPath) {
      issues.push(
        ...validateSelector(
          store,
          `${base}.serviceAccountTokenPath`,
          kubernetes.serviceAccountTokenPath,
        ),
      );
    }
  }
  return issues;
}

function validateSelector(
  store: SecretStore,
  path: string,
  selector: SecretKeySelector | undefined,
): ValidationIssue[] {
  if (!selector?.name || !selector.key) {
    return [issue('error', path, 'needs a Secret name and key')];
  }
  const storeNamespace = store.metadata.namespace;
  if (
    store.kind === 'SecretStore' &&
    selector.namespace &&
    selector.namespace !== storeNamespace
  ) {
    return [
      issue(
        'error',
        `${path}.namespace`,
        `"${selector.namespace}" must be empty or the SecretStore's namespace`,
      ),
    ];
  }
  return [];
}

function validateCa(
  store: SecretStore,
  spec: InfisicalProviderSpec,
): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (spec.caBundle && spec.caProvider) {
    issues.push(
      issue('error', ROOT, 'sets both caBundle and caProvider; use one'),
    );
  }
  const caProblem = spec.caBundle ? caBundleProblem(spec.caBundle) : undefined;
  if (caProblem) issues.push(issue('error', `${ROOT}.caBundle`, caProblem));
  const ca = spec.caProvider;
  if (!ca) return issues;
  const path = `${ROOT}.caProvider`;
  if (ca.type !== 'ConfigMap' && ca.type !== 'Secret') {
    issues.push(issue('error', `${path}.type`, 'must be ConfigMap or Secret'));
  }
  if (!ca.name || !ca.key)
    issues.push(issue('error', path, 'needs a name and a key'));
  if (store.kind === 'ClusterSecretStore' && !ca.namespace) {
    issues.push(
      issue('error', `${path}.namespace`, 'is required for ClusterSecretStore'),
    );
  }
  if (store.kind === 'SecretStore' && ca.namespace) {
    issues.push(
      issue('error', `${path}.namespace`, 'must be empty with SecretStore'),
    );
  }
  return issues;
}

const BEGIN = '-----BEGIN CERTIFICATE-----';
const PEM_BLOCK =
  /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

/**
 * Why `base64` is not a usable CA bundle: not base64 PEM, or a certificate
 * that is cut short or does not parse. Caught here, the store is refused with
 * the field's path before any connection is tried.
 */
function caBundleProblem(base64: string): string | undefined {
  const compact = base64.replace(/\s+/g, '');
  const notPem = 'must be a base64-encoded PEM certificate bundle';
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) return notPem;
  const text = Buffer.from(compact, 'base64').toString('utf8');
  if (!text.includes(BEGIN)) return notPem;
  const blocks = text.match(PEM_BLOCK) ?? [];
  const begins = text.split(BEGIN).length - 1;
  if (blocks.length < begins) {
    return `does not hold a readable PEM certificate: certificate ${
      blocks.length + 1
    } has no END CERTIFICATE line`;
  }
  const unreadable = blocks.findIndex(block => !parsesAsCertificate(block));
  return unreadable < 0
    ? undefined
    : `does not hold a readable PEM certificate: certificate ${
        unreadable + 1
      } cannot be parsed`;
}

function parsesAsCertificate(pem: string): boolean {
  try {
    return Boolean(new X509Certificate(pem));
  } catch {
    return false;
  }
}
