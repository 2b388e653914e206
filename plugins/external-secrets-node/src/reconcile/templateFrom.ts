import type {
  ExternalSecretTemplate,
  ParsedExternalSecret,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import YAML from 'yaml';
import { renderTemplate } from '../template/renderTemplate';
import { TemplateError } from '../template/TemplateError';
import { SecretValue } from '../values/SecretValue';
import {
  LABEL_NAME,
  metadataKeyProblem,
  type TemplateData,
} from './applyTemplate';
import type { KeyOutcome } from './resolveEntries';
import { secretKeyProblem } from './secretKeys';
import type { TemplateSource, TemplateSources } from './types';

type Entry = NonNullable<ExternalSecretTemplate['templateFrom']>[number];
type Scope = 'Values' | 'KeysAndValues';
type Unavailable = (key: string) => string | undefined;

/**
 * The ConfigMaps and Secrets `templateFrom` reads, by name, each once (read in the ExternalSecret's namespace).
 *
 * @public
 */
export function templateSourceRefs(parsed: ParsedExternalSecret): {
  configMaps: string[];
  secrets: string[];
} {
  const entries =
    parsed.externalSecret.spec.target.template?.templateFrom ?? [];
  const names = (pick: (e: Entry) => string | undefined) => [
    ...new Set(entries.map(pick).filter((n): n is string => n !== undefined)),
  ];
  return {
    configMaps: names(e => e.configMap?.name),
    secrets: names(e => e.secret?.name),
  };
}

/** A render failure of one templateFrom part, or its output. */
type Rendered = { ok: true; text: string } | { ok: false; outcome: KeyOutcome };

function failed(
  source: string,
  reason: 'TemplateError' | 'InputUnavailable',
  message: string,
  secretKey?: string,
): KeyOutcome {
  return {
    status: {
      ...(secretKey !== undefined && { secretKey }),
      source,
      state: 'error',
      reason,
      message,
    },
  };
}

function render(
  name: string,
  text: string,
  source: string,
  inputs: Map<string, SecretValue>,
  unavailable: Unavailable,
): Rendered {
  try {
    return {
      ok: true,
      text: renderTemplate({ name, text, data: inputs, unavailable }).text(),
    };
  } catch (e) {
    if (!(e instanceof TemplateError)) throw e;
    const reason = e.unavailableInput ? 'InputUnavailable' : 'TemplateError';
    return { ok: false, outcome: failed(source, reason, e.message) };
  }
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

/** Collects what templateFrom renders, in ESO's order (a later entry wins). */
class TemplateFromOutput {
  readonly data = new Map<string, KeyOutcome>();
  readonly failures: KeyOutcome[] = [];
  readonly labels: Record<string, string> = {};
  readonly annotations: Record<string, string> = {};
  metadataError?: string;

  /** ESO's applyToTarget. */
  apply(target: string, source: string, key: string, value: string) {
    if (target === 'Data') {
      const problem = secretKeyProblem(key);
      this.data.set(
        key,
        problem
          ? {
              status: {
                secretKey: key,
                source,
                state: 'error',
                reason: 'InvalidKey',
                message: problem,
              },
            }
          : {
              status: {
                secretKey: key,
                source,
                state: 'synced',
                reason: 'Synced',
              },
              value: SecretValue.fromString(value),
            },
      );
      return;
    }
    const kind = target === 'Labels' ? 'labels' : 'annotations';
    const keyProblem = metadataKeyProblem(key);
    if (keyProblem) {
      this.metadataError ??= `${source}: the ${kind} key "${key}" ${keyProblem}`;
      return;
    }
    if (
      kind === 'labels' &&
      value !== '' &&
      (value.length > 63 || !LABEL_NAME.test(value))
    ) {
      this.metadataError ??= `${source}: the rendered label value is not a valid label value (at most 63 characters of [-A-Za-z0-9_.], starting and ending alphanumeric)`;
      return;
    }
    this[kind][key] = value;
  }

  fail(target: string, outcome: KeyOutcome) {
    if (target === 'Data') this.failures.push(outcome);
    else
      this.metadataError ??= `${outcome.status.source}: ${outcome.status.message}`;
  }
}

/** One template text in its scope (ESO's valueScopeApply / mapScopeApply). */
function applyScoped(
  out: TemplateFromOutput,
  part: {
    target: string;
    source: string;
    key: string;
    text: string;
    scope: Scope;
  },
  inputs: Map<string, SecretValue>,
  unavailable: Unavailable,
) {
  const rendered = render(
    part.key,
    part.text,
    part.source,
    inputs,
    unavailable,
  );
  if (!rendered.ok) {
    out.fail(part.target, rendered.outcome);
    return;
  }
  if (part.scope === 'Values') {
    out.apply(part.target, part.source, part.key, rendered.text);
    return;
  }
  const pairs = keysAndValues(rendered.text);
  if (typeof pairs === 'string') {
    out.fail(part.target, failed(part.source, 'TemplateError', pairs));
    return;
  }
  pairs.forEach((value, key) =>
    out.apply(part.target, part.source, key, value),
  );
}

/** ESO's MergeConfigMap / MergeSecret: each item of the object, or the reason it cannot be used. */
function applyObject<T>(
  out: TemplateFromOutput,
  entry: { kind: 'configMap' | 'secret'; index: number; target: string },
  ref: NonNullable<Entry['configMap']>,
  source: TemplateSource<T> | undefined,
  textOf: (value: T) => string,
  renderItem: (part: {
    source: string;
    key: string;
    text: string;
    scope: Scope;
  }) => void,
) {
  const field = `template.templateFrom[${entry.index}].${entry.kind}`;
  const kindName = entry.kind === 'secret' ? 'Secret' : 'ConfigMap';
  if (!source || !source.ok) {
    const cause =
      source?.ok === false
        ? source.error
        : `${kindName} "${ref.name}" was not read`;
    out.fail(entry.target, failed(field, 'TemplateError', cause));
    return;
  }
  ref.items.forEach((item, j) => {
    const itemField = `${field}.items[${j}]`;
    const value = source.data[item.key];
    if (value === undefined) {
      out.fail(
        entry.target,
        failed(
          itemField,
          'TemplateError',
          `error in ${entry.kind.toLowerCase()} ${ref.name}: missing key ${
            item.key
          }`,
        ),
      );
      return;
    }
    renderItem({
      source: itemField,
      key: item.key,
      text: textOf(value),
      scope: item.templateAs ?? 'Values',
    });
  });
}

/**
 * ESO's ApplyTemplate order (pkg/controllers/externalsecret/
 * externalsecret_controller_template.go, templating/parser.go): every
 * `templateFrom` entry in order (configMap, secret, then literal), each into
 * its target (Data, Labels, Annotations), then `template.data`, whose keys win.
 * Returns undefined when the template has neither.
 */
export function renderTemplateFrom(
  template: ExternalSecretTemplate | undefined,
  templateData: TemplateData | undefined,
  inputs: Map<string, SecretValue>,
  unavailable: Unavailable,
  sources: TemplateSources | undefined,
): TemplateData | undefined {
  const entries = template?.templateFrom ?? [];
  if (entries.length === 0) return templateData;
  const out = new TemplateFromOutput();
  entries.forEach((entry, index) => {
    const target = entry.target ?? 'Data';
    const scoped = (part: {
      source: string;
      key: string;
      text: string;
      scope: Scope;
    }) => applyScoped(out, { ...part, target }, inputs, unavailable);
    if (entry.configMap)
      applyObject(
        out,
        { kind: 'configMap', index, target },
        entry.configMap,
        sources?.configMaps.get(entry.configMap.name),
        v => v,
        scoped,
      );
    if (entry.secret)
      applyObject(
        out,
        { kind: 'secret', index, target },
        entry.secret,
        sources?.secrets.get(entry.secret.name),
        v => v.text(),
        scoped,
      );
    if (entry.literal !== undefined) {
      const source = `template.templateFrom[${index}].literal`;
      scoped({
        source,
        key: source,
        text: entry.literal,
        scope: 'KeysAndValues',
      });
    }
  });
  const data = new Map<string, SecretValue>();
  out.data.forEach((o, key) => o.value && data.set(key, o.value));
  templateData?.data.forEach((value, key) => data.set(key, value));
  const overridden = new Set(templateData?.data.keys() ?? []);
  return {
    data,
    outcomes: [
      ...out.failures,
      ...[...out.data.values()].filter(
        o => !overridden.has(o.status.secretKey ?? ''),
      ),
      ...(templateData?.outcomes ?? []),
    ],
    metadata: { labels: out.labels, annotations: out.annotations },
    ...(out.metadataError !== undefined && {
      metadataError: out.metadataError,
    }),
  };
}
