import { z } from 'zod';
import { ESO_API_VERSION, ESO_API_VERSION_V1BETA1 } from '../types/eso';
import {
  conditionSchema,
  dnsSubdomain,
  goDuration,
  goRegExp,
  objectMetaSchema,
  remoteKey,
  secretKey,
  storeRefSchema,
  stringMap,
} from './commonSchemas';
import { allowExtraFields } from './findUnknownFields';

const decodingStrategy = z
  .enum(['None', 'Base64', 'Base64URL', 'Auto'])
  .default('None');
const conversionStrategy = z.enum(['Default', 'Unicode']).default('Default');
const metadataPolicy = z.enum(['None', 'Fetch']).default('None');
const nullBytePolicy = z.enum(['Ignore', 'Fail']).optional();

/** `remoteRef` of `spec.data[]`, also the shape of `spec.dataFrom[].extract`. */
export const remoteRefSchema = z.object({
  key: remoteKey(),
  property: z.string().optional(),
  version: z.string().optional(),
  decodingStrategy,
  conversionStrategy,
  metadataPolicy,
  nullBytePolicy,
});

const generatorRefSchema = z.object({
  apiVersion: z.string().optional(),
  kind: z.string().min(1),
  name: z.string().min(1),
});

const sourceRefSchema = z.object({
  storeRef: storeRefSchema.optional(),
  generatorRef: generatorRefSchema.optional(),
});

/** One `spec.data[]` entry. */
export const dataEntrySchema = z.object({
  secretKey: secretKey(),
  remoteRef: remoteRefSchema,
  sourceRef: sourceRefSchema.optional(),
});

const findSchema = z.object({
  path: z.string().optional(),
  name: z.object({ regexp: goRegExp().default('') }).optional(),
  tags: stringMap().optional(),
  decodingStrategy,
  conversionStrategy,
  nullBytePolicy,
});

const rewriteSchema = z.object({
  regexp: z.object({ source: goRegExp(), target: z.string() }).optional(),
  transform: z.object({ template: z.string() }).optional(),
  merge: z
    .object({
      into: z.string().optional(),
      priority: z.array(z.string()).optional(),
      priorityPolicy: z.string().optional(),
      conflictPolicy: z.string().optional(),
      strategy: z.string().optional(),
    })
    .optional(),
});

/** One `spec.dataFrom[]` entry. */
export const dataFromEntrySchema = z.object({
  extract: remoteRefSchema.optional(),
  find: findSchema.optional(),
  rewrite: z.array(rewriteSchema).optional(),
  sourceRef: sourceRefSchema.optional(),
});

const TEMPLATE_TARGETS = ['Data', 'Annotations', 'Labels'] as const;
type TemplateTarget = (typeof TEMPLATE_TARGETS)[number];

/**
 * ESO v2.5+ accepts only these targets (case-insensitively) when rendering a
 * Secret: any other value is a dotted path that could write `type`,
 * `immutable` or `metadata.ownerReferences`.
 */
const templateTarget = z
  .string()
  .optional()
  .transform((value, ctx): TemplateTarget => {
    if (!value) return 'Data';
    const match = TEMPLATE_TARGETS.find(
      t => t.toLowerCase() === value.toLowerCase(),
    );
    if (match) return match;
    ctx.addIssue({
      code: 'custom',
      message:
        'must be one of Data, Annotations or Labels: other targets would write privileged Secret fields',
    });
    return z.NEVER;
  });

const templateRefSchema = z.object({
  name: dnsSubdomain(),
  items: z.array(
    z.object({
      key: secretKey(),
      templateAs: z.enum(['Values', 'KeysAndValues']).default('Values'),
    }),
  ),
});

const templateFromSchema = z.object({
  configMap: templateRefSchema.optional(),
  secret: templateRefSchema.optional(),
  literal: z.string().optional(),
  target: templateTarget,
  valuesDecodingStrategy: z
    .enum(['None', 'Base64', 'Base64URL', 'Auto'])
    .optional(),
});

const templateSchema = z.object({
  type: z.string().optional(),
  engineVersion: z.enum(['v1', 'v2']).default('v2'),
  mergePolicy: z.enum(['Replace', 'Merge']).default('Replace'),
  metadata: z
    .object({
      labels: stringMap().optional(),
      annotations: stringMap().optional(),
      finalizers: z.array(z.string()).optional(),
    })
    .optional(),
  data: stringMap().optional(),
  templateFrom: z
    .array(
      templateFromSchema.transform(({ valuesDecodingStrategy: _v, ...t }) => t),
    )
    .optional(),
});

const targetSchema = z.object({
  // "" is ESO's controller's "after the ExternalSecret" (see parseExternalSecret).
  name: dnsSubdomain().or(z.literal('')).optional(),
  creationPolicy: z
    .enum(['Owner', 'Orphan', 'Merge', 'None', 'CreateOrMerge'])
    .default('Owner'),
  deletionPolicy: z.enum(['Retain', 'Delete', 'Merge']).default('Retain'),
  immutable: z.boolean().default(false),
  template: templateSchema.optional(),
  manifest: z.object({ apiVersion: z.string(), kind: z.string() }).optional(),
});

const syncWindowsSchema = z.object({
  kind: z.string(),
  windows: z.array(z.object({ schedule: z.string(), duration: z.string() })),
});

/**
 * The ExternalSecret object with `spec.data`/`spec.dataFrom` left as raw
 * lists: their entries are validated one by one, so one bad entry fails only itself.
 */
export const externalSecretSchema = z.object({
  apiVersion: z.enum([ESO_API_VERSION, ESO_API_VERSION_V1BETA1]),
  kind: z.literal('ExternalSecret'),
  metadata: objectMetaSchema,
  spec: z.object({
    secretStoreRef: storeRefSchema.optional(),
    target: targetSchema.prefault({}),
    refreshInterval: goDuration().default('1h'),
    refreshPolicy: z
      .enum(['Periodic', 'OnChange', 'CreatedOnce'])
      .default('Periodic'),
    syncWindows: syncWindowsSchema.optional(),
    data: z.array(z.unknown()).default([]),
    dataFrom: z.array(z.unknown()).default([]),
  }),
  status: z.unknown().optional(),
});

/** `status` as ESO writes it; read leniently and never reported field by field. */
export const externalSecretStatusSchema = allowExtraFields(
  z.object({
    refreshTime: z.string().optional(),
    syncedResourceVersion: z.string().optional(),
    binding: z.object({ name: z.string() }).optional(),
    conditions: z
      .array(
        conditionSchema([
          'SecretSynced',
          'SecretSyncedError',
          'SecretDeleted',
          'SecretMissing',
        ] as const),
      )
      .optional(),
  }),
);
