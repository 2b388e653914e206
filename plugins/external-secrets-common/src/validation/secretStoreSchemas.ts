import { z } from 'zod';
import { parseGoDuration } from '../duration/parseGoDuration';
import { ESO_API_VERSION, ESO_API_VERSION_V1BETA1 } from '../types/eso';
import {
  GO_DURATION_RULE,
  STORE_KINDS,
  conditionSchema,
  dnsLabel,
  dnsSubdomain,
  goDuration,
  goRegExp,
  objectMetaSchema,
  secretKey,
  secretKeySelectorSchema,
  stringMap,
} from './commonSchemas';
import { allowExtraFields } from './findUnknownFields';

/** Auth kinds ESO's Infisical provider has and we do not implement. */
export const UNSUPPORTED_INFISICAL_AUTH_KINDS = [
  'azureAuthCredentials',
  'gcpIdTokenAuthCredentials',
  'gcpIamAuthCredentials',
  'jwtAuthCredentials',
  'ldapAuthCredentials',
  'ociAuthCredentials',
  'awsAuthCredentials',
  'tokenAuthCredentials',
] as const;

export const SUPPORTED_INFISICAL_AUTH_KINDS = [
  'universalAuthCredentials',
  'kubernetesAuthCredentials',
] as const;

export const DEFAULT_INFISICAL_HOST_API = 'https://app.infisical.com/api';

const BASE64_PATTERN = /^[A-Za-z0-9+/]*={0,2}$/;

/** Go's StdEncoding (what Kubernetes uses for `[]byte`), which ignores newlines. */
function isBase64(text: string): boolean {
  const compact = text.replace(/[\r\n]/g, '');
  return compact.length % 4 === 0 && BASE64_PATTERN.test(compact);
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

const caProviderSchema = z.object({
  type: z.enum(['Secret', 'ConfigMap']),
  name: dnsSubdomain(),
  key: secretKey(),
  namespace: dnsLabel().optional(),
});

const unsupportedAuthFields = Object.fromEntries(
  UNSUPPORTED_INFISICAL_AUTH_KINDS.map(kind => [kind, z.unknown().optional()]),
) as Record<
  (typeof UNSUPPORTED_INFISICAL_AUTH_KINDS)[number],
  z.ZodOptional<z.ZodUnknown>
>;

const infisicalAuthSchema = z
  .object({
    universalAuthCredentials: z
      .object({
        clientId: secretKeySelectorSchema,
        clientSecret: secretKeySelectorSchema,
      })
      .optional(),
    kubernetesAuthCredentials: z
      .object({
        identityId: secretKeySelectorSchema,
        serviceAccountTokenPath: secretKeySelectorSchema.optional(),
      })
      .optional(),
    ...unsupportedAuthFields,
  })
  .transform(auth => {
    const unsupportedKinds = UNSUPPORTED_INFISICAL_AUTH_KINDS.filter(
      kind => auth[kind] !== undefined,
    );
    return {
      ...(auth.universalAuthCredentials && {
        universalAuthCredentials: auth.universalAuthCredentials,
      }),
      ...(auth.kubernetesAuthCredentials && {
        kubernetesAuthCredentials: auth.kubernetesAuthCredentials,
      }),
      ...(unsupportedKinds.length > 0 && { unsupportedKinds }),
    };
  });

/** `spec.provider.infisical` with ESO's defaults. */
export const infisicalProviderSchema = z.object({
  hostAPI: z
    .string()
    .refine(isHttpUrl, { message: 'must be an http(s) URL' })
    .default(DEFAULT_INFISICAL_HOST_API),
  caBundle: z
    .string()
    .refine(isBase64, {
      message: 'must be valid base64 (the PEM bundle, base64-encoded)',
    })
    .optional(),
  caProvider: caProviderSchema.optional(),
  auth: infisicalAuthSchema,
  secretsScope: z.object({
    projectSlug: z.string().min(1),
    environmentSlug: z.string().min(1),
    organizationSlug: z.string().optional(),
    secretsPath: z.string().default('/'),
    recursive: z.boolean().default(false),
    expandSecretReferences: z.boolean().default(true),
  }),
});

/** `spec.provider.fake`: static data for demos and tests. */
export const fakeProviderSchema = z.object({
  data: z.array(
    z.object({
      key: z.string().min(1),
      value: z.string().optional(),
      valueMap: stringMap().optional(),
      version: z.string().optional(),
    }),
  ),
  validationResult: z.unknown().optional(),
});

/** NaN when the value is neither integer seconds nor a Go duration. */
function toSeconds(value: unknown): number {
  if (typeof value === 'number') return Number.isInteger(value) ? value : NaN;
  if (typeof value !== 'string') return NaN;
  return (parseGoDuration(value) ?? NaN) / 1000;
}

/** Integer seconds (legacy) or a Go duration string, as seconds. */
const storeRefreshInterval = z
  .unknown()
  .optional()
  .transform((value, ctx) => {
    if (value === undefined) return undefined;
    const seconds = toSeconds(value);
    if (Number.isNaN(seconds)) {
      ctx.addIssue({
        code: 'custom',
        message: `must be an integer number of seconds or ${GO_DURATION_RULE.replace(
          /^must be /,
          '',
        )}`,
      });
      return z.NEVER;
    }
    if (seconds < 0) {
      ctx.addIssue({ code: 'custom', message: 'must not be negative' });
      return z.NEVER;
    }
    return seconds;
  });

const labelSelectorSchema = z.object({
  matchLabels: stringMap().optional(),
  matchExpressions: z
    .array(
      z.object({
        key: z.string().min(1),
        operator: z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist']),
        values: z.array(z.string()).optional(),
      }),
    )
    .optional(),
});

/**
 * SecretStore/ClusterSecretStore with `spec.provider` left raw: the provider
 * block is dispatched by name and validated by its own schema.
 */
export const secretStoreSchema = z.object({
  apiVersion: z.enum([ESO_API_VERSION, ESO_API_VERSION_V1BETA1]),
  kind: z.enum(STORE_KINDS),
  metadata: objectMetaSchema,
  spec: z.object({
    controller: z.string().optional(),
    provider: z.record(z.string(), z.unknown()),
    refreshInterval: storeRefreshInterval,
    retrySettings: z
      .object({
        maxRetries: z.number().int().min(0).optional(),
        retryInterval: goDuration().optional(),
      })
      .optional(),
    conditions: z
      .array(
        z.object({
          namespaces: z.array(dnsLabel()).optional(),
          namespaceSelector: labelSelectorSchema.optional(),
          namespaceRegexes: z.array(goRegExp()).optional(),
        }),
      )
      .optional(),
  }),
  status: z.unknown().optional(),
});

/** `status` as ESO writes it; read leniently. */
export const secretStoreStatusSchema = allowExtraFields(
  z.object({
    conditions: z
      .array(
        conditionSchema([
          'Valid',
          'InvalidProviderConfig',
          'InvalidStoreConfiguration',
          'ValidationFailed',
          'ValidationUnknown',
          'StoreUnmaintained',
          'StoreDeprecated',
        ] as const),
      )
      .optional(),
    capabilities: z.string().optional(),
  }),
);
