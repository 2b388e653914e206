import { ValidationIssue } from '../types/validation';
import { issueAt, unsupportedAt } from './createIssue';
import { PathSegment } from './fieldPath';
import { hasField, isRecord, valueAt } from './rawValue';

const TARGET_PATH = ['spec', 'target'];
const TEMPLATE_PATH = [...TARGET_PATH, 'template'];

const SERVICE_ACCOUNT_TOKEN_TYPE = 'kubernetes.io/service-account-token';
const BOOTSTRAP_TOKEN_TYPE = 'bootstrap.kubernetes.io/token';
const SERVICE_ACCOUNT_NAME_ANNOTATION = 'kubernetes.io/service-account.name';

/** ESO's admission rules tying deletionPolicy to creationPolicy. */
function checkPolicies(target: unknown): ValidationIssue[] {
  const creation = valueAt(target, ['creationPolicy']) ?? 'Owner';
  const deletion = valueAt(target, ['deletionPolicy']) ?? 'Retain';
  const path = [...TARGET_PATH, 'deletionPolicy'];
  if (
    deletion === 'Delete' &&
    (creation === 'Merge' ||
      creation === 'None' ||
      creation === 'CreateOrMerge')
  ) {
    return [
      issueAt(
        path,
        `not allowed with creationPolicy ${creation}: Delete needs a Secret this ExternalSecret owns (creationPolicy Owner or Orphan)`,
        deletion,
      ),
    ];
  }
  if (deletion === 'Merge' && creation === 'None') {
    return [
      issueAt(
        path,
        'not allowed with creationPolicy None: there is no Secret to merge with',
        deletion,
      ),
    ];
  }
  return [];
}

/**
 * Template safety as in ESO v2.5+, stricter where it is free: whoever can
 * declare an ExternalSecret must not be able to make Kubernetes mint
 * service-account or bootstrap tokens through us. The annotation is refused on
 * any type, because merging it into an existing token Secret would mint one too.
 */
function checkTemplateSafety(
  template: Record<string, unknown>,
): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const typePath = [...TEMPLATE_PATH, 'type'];
  if (template.type === SERVICE_ACCOUNT_TOKEN_TYPE) {
    issues.push(
      issueAt(
        typePath,
        'not allowed: Kubernetes would mint a service-account token into this Secret (no service-account token minting)',
        template.type,
      ),
    );
  }
  if (template.type === BOOTSTRAP_TOKEN_TYPE) {
    issues.push(
      issueAt(
        typePath,
        'not allowed: a bootstrap token Secret grants credentials to join the cluster (no token minting)',
        template.type,
      ),
    );
  }
  const annotations = valueAt(template, ['metadata', 'annotations']);
  if (hasField(annotations, SERVICE_ACCOUNT_NAME_ANNOTATION)) {
    const path = [
      ...TEMPLATE_PATH,
      'metadata',
      'annotations',
      SERVICE_ACCOUNT_NAME_ANNOTATION,
    ];
    issues.push(
      issueAt(
        path,
        'not allowed: this annotation makes Kubernetes mint a token for the named service account (no service-account token minting)',
        valueAt(annotations, [SERVICE_ACCOUNT_NAME_ANNOTATION]),
      ),
    );
  }
  return issues;
}

function checkTemplateFrom(templateFrom: unknown): ValidationIssue[] {
  if (!Array.isArray(templateFrom)) return [];
  return templateFrom.flatMap((entry, i) => {
    if (!isRecord(entry)) return [];
    const path: PathSegment[] = [...TEMPLATE_PATH, 'templateFrom', i];
    const issues: ValidationIssue[] = [];
    const decoding = entry.valuesDecodingStrategy;
    if (decoding !== undefined && decoding !== 'None') {
      issues.push(
        unsupportedAt(
          [...path, 'valuesDecodingStrategy'],
          'decoding rendered template values is not implemented',
          decoding,
        ),
      );
    }
    return issues;
  });
}

function checkTemplate(template: unknown): ValidationIssue[] {
  if (!isRecord(template)) return [];
  const issues = checkTemplateSafety(template);
  if (template.engineVersion === 'v1') {
    issues.push(
      unsupportedAt(
        [...TEMPLATE_PATH, 'engineVersion'],
        'template engine v1 is not implemented; use v2',
        template.engineVersion,
      ),
    );
  }
  return [...issues, ...checkTemplateFrom(template.templateFrom)];
}

/**
 * Object-level rules of `spec.target`: policy combinations, template safety
 * and the target features we do not implement.
 */
export function checkTarget(target: unknown): ValidationIssue[] {
  if (!isRecord(target)) return [];
  const issues = [...checkPolicies(target), ...checkTemplate(target.template)];
  if (hasField(target, 'manifest')) {
    issues.push(
      unsupportedAt(
        [...TARGET_PATH, 'manifest'],
        'writing resources other than a Secret is not implemented',
      ),
    );
  }
  return issues;
}
