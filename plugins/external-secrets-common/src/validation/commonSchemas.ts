import { z } from 'zod';
import { parseGoDuration } from '../duration/parseGoDuration';
import { compileGoRegExp } from './compileGoRegExp';
import { allowExtraFields } from './findUnknownFields';

/** ESO's pattern for Secret keys (`secretKey`, selector `key`). */
export const SECRET_KEY_PATTERN = /^[-._a-zA-Z0-9]+$/;

const DNS_SUBDOMAIN_PATTERN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_LABEL_PATTERN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export const DNS_SUBDOMAIN_RULE =
  "must be a DNS subdomain: at most 253 lowercase letters, digits, '-' or '.', starting and ending with a letter or digit";
export const DNS_LABEL_RULE =
  "must be a DNS label: at most 63 lowercase letters, digits or '-', starting and ending with a letter or digit";
/** The `v1beta1` deprecation notice (warning on `apiVersion`). */
export const V1BETA1_WARNING =
  'deprecated: ESO no longer serves v1beta1; use external-secrets.io/v1 (same shape)';
export const GO_DURATION_RULE =
  'must be a Go duration such as 1h, 30m or 1h30m (units ns, us, ms, s, m, h)';

/** A Kubernetes object name (Secret, store, ConfigMap...). */
export const dnsSubdomain = () =>
  z.string().refine(v => v.length <= 253 && DNS_SUBDOMAIN_PATTERN.test(v), {
    message: DNS_SUBDOMAIN_RULE,
  });

/** A namespace name. */
export const dnsLabel = () =>
  z.string().refine(v => v.length <= 63 && DNS_LABEL_PATTERN.test(v), {
    message: DNS_LABEL_RULE,
  });

/**
 * A key inside a Secret or ConfigMap. Beyond ESO's pattern, Kubernetes refuses
 * `.`, `..` and keys starting with `..` (they would be directory names when the
 * Secret is mounted), so the apiserver would reject the write: say so up front.
 */
export const secretKey = () =>
  z
    .string()
    .min(1)
    .max(253)
    .regex(SECRET_KEY_PATTERN)
    .refine(key => key !== '.' && !key.startsWith('..'), {
      message:
        "must not be '.' or start with '..' (Kubernetes refuses such Secret keys)",
    });

/** C0 control characters and DEL: never part of a remote key a provider can hold. */
const hasControlCharacter = (text: string) =>
  Array.from(text).some(
    c => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f,
  );

/** A provider-side key (`remoteRef.key`, `extract.key`): any text but control characters. */
export const remoteKey = () =>
  z
    .string()
    .min(1)
    .refine(key => !hasControlCharacter(key), {
      message:
        'must not contain control characters (U+0000 to U+001F, U+007F): check the manifest for a stray escape or NUL',
    });

/** A regular expression ESO compiles with Go's `regexp` package. */
export const goRegExp = () =>
  z.string().superRefine((source, ctx) => {
    const compiled = compileGoRegExp(source);
    if (!compiled.ok) {
      ctx.addIssue({
        code: 'custom',
        message: `must be a valid Go regular expression: ${compiled.reason}`,
      });
    }
  });

/** A Go duration string that must not be negative. */
export const goDuration = () =>
  z.string().superRefine((text, ctx) => {
    const ms = parseGoDuration(text);
    if (ms === undefined) {
      ctx.addIssue({ code: 'custom', message: GO_DURATION_RULE });
    } else if (ms < 0) {
      ctx.addIssue({ code: 'custom', message: 'must not be negative' });
    }
  });

export const stringMap = () => z.record(z.string(), z.string());

export const STORE_KINDS = ['SecretStore', 'ClusterSecretStore'] as const;

/** `{name, key, namespace?}` pointing at a key of a Kubernetes Secret. */
export const secretKeySelectorSchema = z.object({
  name: dnsSubdomain(),
  key: secretKey(),
  namespace: dnsLabel().optional(),
});

/** `{name, kind}`; kind defaults to `SecretStore`. */
export const storeRefSchema = z.object({
  name: dnsSubdomain(),
  kind: z.enum(STORE_KINDS).default('SecretStore'),
});

const ownerReferenceSchema = z.object({
  apiVersion: z.string(),
  kind: z.string(),
  name: z.string(),
  uid: z.string(),
  controller: z.boolean().optional(),
  blockOwnerDeletion: z.boolean().optional(),
});

/**
 * `metadata`: the fields we use are typed; the many other ObjectMeta fields
 * (creationTimestamp, managedFields, ...) are legitimate and not reported.
 */
export const objectMetaSchema = allowExtraFields(
  z.object({
    name: dnsSubdomain(),
    namespace: dnsLabel().optional(),
    labels: stringMap().optional(),
    annotations: stringMap().optional(),
    uid: z.string().optional(),
    generation: z.number().int().optional(),
    resourceVersion: z.string().optional(),
    ownerReferences: z.array(ownerReferenceSchema).optional(),
  }),
);

/** A status condition as ESO writes it; reason and message may be absent. */
export const conditionSchema = <R extends readonly [string, ...string[]]>(
  reasons: R,
) =>
  z.object({
    type: z.enum(['Ready', 'Deleted']),
    status: z.enum(['True', 'False', 'Unknown']),
    reason: z.enum(reasons),
    message: z.string().default(''),
    lastTransitionTime: z.string().default(''),
  });
