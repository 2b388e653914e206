import type {
  SecretKeySelector,
  SecretStore,
  ValidationIssue,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-common';

/**
 * ESO v1's `spec.provider.aws` for `service: SecretsManager`, as this module
 * reads it (`apis/externalsecrets/v1/secretstore_aws_types.go`).
 *
 * @public
 */
export type AwsProviderSpec = {
  service: 'SecretsManager';
  region: string;
  /** Role assumed last, after `additionalRoles` (ESO's order). */
  role?: string;
  additionalRoles: string[];
  externalID?: string;
  sessionTags: { key: string; value: string }[];
  /** Prepended to every `remoteRef.key` (ESO: `sm.prefix + ref.Key`). */
  prefix: string;
  auth: {
    secretRef?: {
      accessKeyIDSecretRef: SecretKeySelector;
      secretAccessKeySecretRef: SecretKeySelector;
      sessionTokenSecretRef?: SecretKeySelector;
    };
  };
};

const ROOT = 'spec.provider.aws';
const REGION = /^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;

type Raw = Record<string, unknown>;
const isRecord = (v: unknown): v is Raw =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function issue(
  severity: ValidationIssue['severity'],
  path: string,
  text: string,
): ValidationIssue {
  return { severity, path, message: `${path} ${text}` };
}

function readSelector(
  raw: unknown,
  path: string,
  kind: SecretStore['kind'],
  issues: ValidationIssue[],
): SecretKeySelector | undefined {
  if (!isRecord(raw)) {
    issues.push(issue('error', path, 'must be {name, key, namespace?}'));
    return undefined;
  }
  const { name, key, namespace } = raw;
  if (typeof name !== 'string' || !name)
    issues.push(issue('error', `${path}.name`, 'cannot be empty'));
  if (typeof key !== 'string' || !key)
    issues.push(issue('error', `${path}.key`, 'cannot be empty'));
  if (namespace !== undefined && typeof namespace !== 'string')
    issues.push(issue('error', `${path}.namespace`, 'must be a string'));
  if (kind === 'ClusterSecretStore' && !namespace) {
    // ESO: a ClusterSecretStore's selectors need a namespace, or the Secret
    // would be read in each ExternalSecret's namespace.
    issues.push(
      issue('error', `${path}.namespace`, 'is required for ClusterSecretStore'),
    );
  }
  if (typeof name !== 'string' || typeof key !== 'string') return undefined;
  return {
    name,
    key,
    ...(typeof namespace === 'string' && namespace ? { namespace } : {}),
  };
}

function readAuth(
  raw: unknown,
  kind: SecretStore['kind'],
  issues: ValidationIssue[],
): AwsProviderSpec['auth'] {
  if (raw === undefined) return {};
  const path = `${ROOT}.auth`;
  if (!isRecord(raw)) {
    issues.push(issue('error', path, 'must be an object'));
    return {};
  }
  for (const other of Object.keys(raw).filter(k => k !== 'secretRef')) {
    issues.push(
      issue(
        'unsupported',
        `${path}.${other}`,
        `is not supported by this module (use auth.secretRef, or no auth for an admin store to use the backend's own AWS credentials)`,
      ),
    );
  }
  if (raw.secretRef === undefined) return {};
  const ref = raw.secretRef;
  const refPath = `${path}.secretRef`;
  if (!isRecord(ref)) {
    issues.push(issue('error', refPath, 'must be an object'));
    return {};
  }
  const accessKeyID = readSelector(
    ref.accessKeyIDSecretRef,
    `${refPath}.accessKeyIDSecretRef`,
    kind,
    issues,
  );
  const secretAccessKey = readSelector(
    ref.secretAccessKeySecretRef,
    `${refPath}.secretAccessKeySecretRef`,
    kind,
    issues,
  );
  const sessionToken =
    ref.sessionTokenSecretRef === undefined
      ? undefined
      : readSelector(
          ref.sessionTokenSecretRef,
          `${refPath}.sessionTokenSecretRef`,
          kind,
          issues,
        );
  if (!accessKeyID || !secretAccessKey) return {};
  return {
    secretRef: {
      accessKeyIDSecretRef: accessKeyID,
      secretAccessKeySecretRef: secretAccessKey,
      ...(sessionToken ? { sessionTokenSecretRef: sessionToken } : {}),
    },
  };
}

function readRoles(raw: Raw, issues: ValidationIssue[]) {
  const roles: { role?: string; additionalRoles: string[] } = {
    additionalRoles: [],
  };
  if (raw.role !== undefined && raw.role !== '') {
    if (typeof raw.role !== 'string' || !ROLE_ARN.test(raw.role))
      issues.push(issue('error', `${ROOT}.role`, 'must be an IAM role ARN'));
    else roles.role = raw.role;
  }
  if (raw.additionalRoles !== undefined) {
    if (!Array.isArray(raw.additionalRoles)) {
      issues.push(
        issue('error', `${ROOT}.additionalRoles`, 'must be a list of ARNs'),
      );
    } else {
      raw.additionalRoles.forEach((arn, i) => {
        if (typeof arn !== 'string' || !ROLE_ARN.test(arn))
          issues.push(
            issue(
              'error',
              `${ROOT}.additionalRoles[${i}]`,
              'must be an IAM role ARN',
            ),
          );
        else roles.additionalRoles.push(arn);
      });
    }
  }
  return roles;
}

function readSessionTags(raw: unknown, issues: ValidationIssue[]) {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) {
    issues.push(issue('error', `${ROOT}.sessionTags`, 'must be a list'));
    return [];
  }
  return raw.flatMap((tag, i) => {
    if (
      isRecord(tag) &&
      typeof tag.key === 'string' &&
      typeof tag.value === 'string'
    )
      return [{ key: tag.key, value: tag.value }];
    issues.push(
      issue('error', `${ROOT}.sessionTags[${i}]`, 'must be {key, value}'),
    );
    return [];
  });
}

/** Fields ESO's aws provider has that only matter to other services or to PushSecret. */
function noteIgnored(raw: Raw, issues: ValidationIssue[]) {
  if (raw.secretsManager !== undefined) {
    issues.push(
      issue(
        'warning',
        `${ROOT}.secretsManager`,
        'is ignored: forceDeleteWithoutRecovery and recoveryWindowInDays only apply to PushSecret deletions, which this plugin does not do',
      ),
    );
  }
  if (raw.transitiveTagKeys !== undefined) {
    issues.push(
      issue(
        'warning',
        `${ROOT}.transitiveTagKeys`,
        'is ignored: session tags are not passed on through role chains',
      ),
    );
  }
}

/**
 * Parses and checks `spec.provider.aws` (no I/O). Blocking issues (`error`,
 * `unsupported`) leave `spec` undefined; each issue names its field path.
 *
 * @public
 */
export function parseAwsStoreSpec(store: SecretStore): {
  spec?: AwsProviderSpec;
  issues: ValidationIssue[];
} {
  const raw = store.spec.provider.aws;
  if (!isRecord(raw)) return { issues: [issue('error', ROOT, 'is missing')] };
  const issues: ValidationIssue[] = [];
  if (raw.service !== 'SecretsManager') {
    issues.push(
      raw.service === 'ParameterStore'
        ? issue(
            'unsupported',
            `${ROOT}.service`,
            '"ParameterStore" is not supported by this module (only SecretsManager)',
          )
        : issue('error', `${ROOT}.service`, 'must be "SecretsManager"'),
    );
  }
  if (typeof raw.region !== 'string' || !REGION.test(raw.region)) {
    issues.push(
      issue(
        'error',
        `${ROOT}.region`,
        'must be an AWS region such as "eu-west-1"',
      ),
    );
  }
  if (raw.prefix !== undefined && typeof raw.prefix !== 'string')
    issues.push(issue('error', `${ROOT}.prefix`, 'must be a string'));
  if (raw.externalID !== undefined && typeof raw.externalID !== 'string')
    issues.push(issue('error', `${ROOT}.externalID`, 'must be a string'));
  const roles = readRoles(raw, issues);
  const sessionTags = readSessionTags(raw.sessionTags, issues);
  const auth = readAuth(raw.auth, store.kind, issues);
  noteIgnored(raw, issues);
  if (issues.some(i => i.severity !== 'warning')) return { issues };
  return {
    issues,
    spec: {
      service: 'SecretsManager',
      region: raw.region as string,
      ...roles,
      ...(typeof raw.externalID === 'string' && raw.externalID
        ? { externalID: raw.externalID }
        : {}),
      sessionTags,
      prefix: (raw.prefix as string | undefined) ?? '',
      auth,
    },
  };
}
