/**
 * The subset of apiserver validation the plugin can run into: object names,
 * label syntax, Secret/ConfigMap keys, the 1 MiB Secret limit and immutable
 * Secrets. Messages follow k8s.io/apimachinery's wording; like the real ones they
 * name keys but never echo Secret values.
 */
import { badRequest, StatusCause } from './apiStatus';
import {
  isValidLabelKey,
  isValidLabelValue,
} from '../../kubernetes/labelSelector';
import { ResourceType } from './resources';
import { StoredObject } from './SimulatorStore';

const DNS_SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;
const MAX_SECRET_BYTES = 1024 * 1024;
const BASE64 =
  /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

const SUBDOMAIN_TEXT =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_NAME_TEXT =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const CONFIG_KEY_TEXT =
  "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";
const IMMUTABLE_TEXT = 'Forbidden: field is immutable when `immutable` is set';

function invalidValue(field: string, value: string, why: string): StatusCause {
  return {
    reason: 'FieldValueInvalid',
    message: `Invalid value: "${value}": ${why}`,
    field,
  };
}

function validateName(type: ResourceType, name: unknown): StatusCause[] {
  if (typeof name !== 'string' || name === '') {
    return [
      {
        reason: 'FieldValueRequired',
        message: 'Required value: name or generateName is required',
        field: 'metadata.name',
      },
    ];
  }
  const isNamespace = type.kind === 'Namespace';
  const valid = isNamespace
    ? name.length <= 63 && DNS_LABEL.test(name)
    : name.length <= 253 && DNS_SUBDOMAIN.test(name);
  if (valid) return [];
  return [
    invalidValue(
      'metadata.name',
      name,
      isNamespace ? LABEL_NAME_TEXT : SUBDOMAIN_TEXT,
    ),
  ];
}

function validateLabels(labels: Record<string, string> = {}): StatusCause[] {
  const causes: StatusCause[] = [];
  for (const [key, value] of Object.entries(labels)) {
    if (!isValidLabelKey(key)) {
      causes.push(
        invalidValue(
          'metadata.labels',
          key,
          "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character, with an optional DNS subdomain prefix and '/'",
        ),
      );
    }
    if (typeof value !== 'string' || !isValidLabelValue(value)) {
      causes.push(
        invalidValue(
          'metadata.labels',
          String(value),
          "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
        ),
      );
    }
  }
  return causes;
}

function validateKeys(field: string, data: object | undefined): StatusCause[] {
  return Object.keys(data ?? {})
    .filter(
      key =>
        key.length > 253 ||
        !CONFIG_KEY.test(key) ||
        key === '.' ||
        key.startsWith('..'),
    )
    .map(key =>
      invalidValue(
        `${field}[${key}]`,
        key,
        key === '.' || key.startsWith('..')
          ? "must not be '.' or '..' or start with '..'"
          : CONFIG_KEY_TEXT,
      ),
    );
}

function secretBytes(data: Record<string, string> | undefined): number {
  return Object.values(data ?? {}).reduce(
    (sum, value) => sum + Buffer.from(value, 'base64').byteLength,
    0,
  );
}

function sameData(
  a: Record<string, string> | undefined,
  b: Record<string, string> | undefined,
): boolean {
  const left = a ?? {};
  const right = b ?? {};
  const keys = Object.keys(left);
  return (
    keys.length === Object.keys(right).length &&
    keys.every(key => left[key] === right[key])
  );
}

function validateSecretUpdate(
  secret: StoredObject,
  previous: StoredObject,
): StatusCause[] {
  const causes: StatusCause[] = [];
  if ((secret.type ?? 'Opaque') !== (previous.type ?? 'Opaque')) {
    causes.push(
      invalidValue('type', String(secret.type), 'field is immutable'),
    );
  }
  if (previous.immutable !== true) return causes;
  if (!sameData(secret.data as never, previous.data as never)) {
    causes.push({
      reason: 'FieldValueForbidden',
      message: IMMUTABLE_TEXT,
      field: 'data',
    });
  }
  if (secret.immutable !== true) {
    causes.push({
      reason: 'FieldValueForbidden',
      message: IMMUTABLE_TEXT,
      field: 'immutable',
    });
  }
  return causes;
}

/**
 * Applies what the apiserver does to a Secret before validating it: `stringData`
 * is merged into `data` (base64) and dropped, `type` defaults to `Opaque`. Bad
 * base64 is a 400, like the real JSON decoder's error.
 *
 * @internal
 */
export function normalizeSecret(secret: StoredObject): StoredObject {
  const data = { ...((secret.data as Record<string, string>) ?? {}) };
  for (const [key, value] of Object.entries(data)) {
    if (typeof value !== 'string' || !BASE64.test(value)) {
      throw badRequest(
        `Secret in version "v1" cannot be handled as a Secret: illegal base64 data in data[${key}]`,
      );
    }
  }
  const stringData = (secret.stringData as Record<string, string>) ?? {};
  for (const [key, value] of Object.entries(stringData)) {
    data[key] = Buffer.from(String(value), 'utf8').toString('base64');
  }
  const { stringData: _dropped, ...rest } = secret;
  return { ...rest, type: secret.type ?? 'Opaque', data };
}

/** Field-level problems of a create or update; empty when the object is valid. @internal */
export function validateObject(
  type: ResourceType,
  object: StoredObject,
  previous?: StoredObject,
): StatusCause[] {
  const causes = [
    ...validateName(type, object.metadata.name),
    ...validateLabels(object.metadata.labels),
  ];
  if (type.kind === 'ConfigMap') {
    causes.push(...validateKeys('data', object.data as object));
    causes.push(...validateKeys('binaryData', object.binaryData as object));
  }
  if (type.kind === 'Secret') {
    causes.push(...validateKeys('data', object.data as object));
    if (secretBytes(object.data as Record<string, string>) > MAX_SECRET_BYTES) {
      causes.push({
        reason: 'FieldValueTooLong',
        message: `Too long: must have at most ${MAX_SECRET_BYTES} bytes`,
        field: 'data',
      });
    }
    if (previous) causes.push(...validateSecretUpdate(object, previous));
  }
  return causes;
}
