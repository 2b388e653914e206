import type { ExternalSecretTemplate } from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import YAML from 'yaml';
import { renderTemplate } from '../template/renderTemplate';
import { TemplateError } from '../template/TemplateError';
import { SecretValue } from '../values/SecretValue';
import type { TemplateData } from './applyTemplate';
import type { KeyOutcome } from './resolveEntries';
import { secretKeyProblem } from './secretKeys';

/** `templateFrom` entries the core renders: `literal` into `Data` (the default target). */
export function isRenderedTemplateFrom(
  entry: NonNullable<ExternalSecretTemplate['templateFrom']>[number],
): boolean {
  return (
    entry.literal !== undefined &&
    !entry.configMap &&
    !entry.secret &&
    (entry.target ?? 'Data') === 'Data'
  );
}

/** ESO's keysAndValues scope: the rendered text is a YAML map of string keys to string values. */
function keysAndValues(rendered: string): Map<string, string> | string {
  let parsed: unknown;
  try {
    parsed = YAML.parse(rendered);
  } catch (e) {
    return `the rendered text is not YAML: ${
      (e as Error).message.split('\n')[0]
    }`;
  }
  if (parsed === null || parsed === undefined) return new Map();
  if (typeof parsed !== 'object' || Array.isArray(parsed))
    return 'the rendered text is not a YAML map of keys to values';
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(parsed as object)) {
    if (typeof value !== 'string')
      return `the value of key "${key}" is not a string (quote it)`;
    out.set(key, value);
  }
  return out;
}

function renderLiteral(
  literal: string,
  source: string,
  inputs: Map<string, SecretValue>,
  unavailable: (key: string) => string | undefined,
): KeyOutcome[] {
  const failed = (
    reason: 'TemplateError' | 'InputUnavailable',
    message: string,
  ) => [
    {
      status: {
        source,
        state: 'error' as const,
        reason,
        message: `${source}: ${message}`,
      },
    },
  ];
  let rendered: string;
  try {
    rendered = renderTemplate({
      name: source,
      text: literal,
      data: inputs,
      unavailable,
    }).text();
  } catch (e) {
    if (!(e instanceof TemplateError)) throw e;
    return failed(
      e.unavailableInput ? 'InputUnavailable' : 'TemplateError',
      e.message,
    );
  }
  const pairs = keysAndValues(rendered);
  if (typeof pairs === 'string') return failed('TemplateError', pairs);
  return [...pairs].map(([key, text]) => {
    const problem = secretKeyProblem(key);
    if (problem)
      return {
        status: {
          secretKey: key,
          source,
          state: 'error',
          reason: 'InvalidKey',
          message: `${source}: ${problem}`,
        },
      };
    const value = SecretValue.fromString(text);
    return {
      status: { secretKey: key, source, state: 'synced', reason: 'Synced' },
      value,
    };
  });
}

/**
 * ESO's ApplyTemplate order (pkg/controllers/templating/parser.go,
 * MergeTemplateFrom then MergeMap of template.data): `templateFrom[].literal`
 * renders first, in the keysAndValues scope, and `template.data` keys win over
 * the keys it produced. Returns the merged template data, or the given one
 * when the template has no literal.
 */
export function withTemplateFromLiterals(
  template: ExternalSecretTemplate | undefined,
  templateData: TemplateData | undefined,
  inputs: Map<string, SecretValue>,
  unavailable: (key: string) => string | undefined,
): TemplateData | undefined {
  const literals = (template?.templateFrom ?? [])
    .map((entry, i) => ({ entry, i }))
    .filter(({ entry }) => isRenderedTemplateFrom(entry));
  if (literals.length === 0) return templateData;
  const outcomes = literals.flatMap(({ entry, i }) =>
    renderLiteral(
      entry.literal!,
      `template.templateFrom[${i}].literal`,
      inputs,
      unavailable,
    ),
  );
  const data = new Map<string, SecretValue>();
  for (const outcome of outcomes)
    if (outcome.value && outcome.status.secretKey)
      data.set(outcome.status.secretKey, outcome.value);
  templateData?.data.forEach((value, key) => data.set(key, value));
  const overridden = new Set(templateData?.data.keys() ?? []);
  return {
    data,
    outcomes: [
      ...outcomes.filter(o => !overridden.has(o.status.secretKey ?? '')),
      ...(templateData?.outcomes ?? []),
    ],
  };
}
