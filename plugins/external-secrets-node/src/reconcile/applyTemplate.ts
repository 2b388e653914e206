import type { ExternalSecretTemplate } from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import { renderTemplate } from '../template/renderTemplate';
import { TemplateError } from '../template/TemplateError';
import type { SecretValue } from '../values/SecretValue';
import type { KeyOutcome } from './resolveEntries';
import { secretKeyProblem } from './secretKeys';

const SERVICE_ACCOUNT_TOKEN = 'kubernetes.io/service-account-token';
const SERVICE_ACCOUNT_NAME = 'kubernetes.io/service-account.name';
const BOOTSTRAP_TOKEN = 'bootstrap.kubernetes.io/token';

/** Template features we do not render, and ESO's template safety rules: each fails the whole ExternalSecret. */
export function templateBlocker(
  template: ExternalSecretTemplate | undefined,
): string | undefined {
  if (!template) return undefined;
  if (template.engineVersion !== 'v2')
    return `unsupported: spec.target.template.engineVersion ${template.engineVersion} (only v2 is supported)`;
  if (template.type === BOOTSTRAP_TOKEN)
    return `spec.target.template.type "${BOOTSTRAP_TOKEN}" is not allowed`;
  if (
    template.type === SERVICE_ACCOUNT_TOKEN &&
    template.metadata?.annotations?.[SERVICE_ACCOUNT_NAME] !== undefined
  ) {
    return `spec.target.template.type "${SERVICE_ACCOUNT_TOKEN}" with annotation "${SERVICE_ACCOUNT_NAME}" is not allowed`;
  }
  return undefined;
}

export type TemplateData = {
  data: Map<string, SecretValue>;
  outcomes: KeyOutcome[];
  /** Labels and annotations `templateFrom` rendered (template.metadata wins over them). */
  metadata?: {
    labels: Record<string, string>;
    annotations: Record<string, string>;
  };
  /** A templateFrom entry into Labels/Annotations failed: nothing is written. */
  metadataError?: string;
};

/** Renders `template.data`; a failing key fails alone (its current value is kept by the caller). */
export function renderTemplateData(
  template: ExternalSecretTemplate,
  inputs: Map<string, SecretValue>,
  unavailable: (key: string) => string | undefined,
): TemplateData {
  const data = new Map<string, SecretValue>();
  const outcomes: KeyOutcome[] = [];
  for (const [key, text] of Object.entries(template.data ?? {})) {
    const source = `template.data[${key}]`;
    const problem = secretKeyProblem(key);
    if (problem) {
      outcomes.push({
        status: {
          secretKey: key,
          source,
          state: 'error',
          reason: 'InvalidKey',
          message: `${source}: ${problem}`,
        },
      });
      continue;
    }
    try {
      const value = renderTemplate({
        name: key,
        text,
        data: inputs,
        unavailable,
      });
      data.set(key, value);
      outcomes.push({
        status: { secretKey: key, source, state: 'synced', reason: 'Synced' },
        value,
      });
    } catch (e) {
      if (!(e instanceof TemplateError)) throw e;
      const reason = e.unavailableInput ? 'InputUnavailable' : 'TemplateError';
      outcomes.push({
        status: {
          secretKey: key,
          source,
          state: 'error',
          reason,
          message: e.message,
        },
      });
    }
  }
  return { data, outcomes };
}

export const LABEL_NAME = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)$/;
const LABEL_PREFIX =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export function metadataKeyProblem(key: string): string | undefined {
  const parts = key.split('/');
  const name = parts.pop()!;
  if (
    parts.length > 1 ||
    (parts.length === 1 &&
      (!LABEL_PREFIX.test(parts[0]) || parts[0].length > 253))
  )
    return 'has an invalid prefix';
  if (name.length > 63 || !LABEL_NAME.test(name))
    return 'must be at most 63 characters of [-A-Za-z0-9_.], starting and ending alphanumeric';
  return undefined;
}

/**
 * Renders `template.metadata.labels/annotations` (v2 renders them as templates)
 * and checks Kubernetes' rules. Returns the maps, or an error text.
 */
export function renderTemplateMetadata(
  template: ExternalSecretTemplate,
  inputs: Map<string, SecretValue>,
  unavailable: (key: string) => string | undefined,
):
  | { labels: Record<string, string>; annotations: Record<string, string> }
  | { error: string } {
  const rendered = {
    labels: {} as Record<string, string>,
    annotations: {} as Record<string, string>,
  };
  for (const kind of ['labels', 'annotations'] as const) {
    for (const [key, text] of Object.entries(template.metadata?.[kind] ?? {})) {
      const field = `spec.target.template.metadata.${kind}[${key}]`;
      const keyProblem = metadataKeyProblem(key);
      if (keyProblem) return { error: `${field}: the key ${keyProblem}` };
      try {
        rendered[kind][key] = renderTemplate({
          name: `${kind}.${key}`,
          text,
          data: inputs,
          unavailable,
        }).text();
      } catch (e) {
        if (!(e instanceof TemplateError)) throw e;
        return { error: `${field}: ${e.message}` };
      }
      const value = rendered[kind][key];
      if (
        kind === 'labels' &&
        value !== '' &&
        (value.length > 63 || !LABEL_NAME.test(value))
      ) {
        return {
          error: `${field}: the rendered label value is not a valid label value (at most 63 characters of [-A-Za-z0-9_.], starting and ending alphanumeric)`,
        };
      }
    }
  }
  return rendered;
}
