import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { JsonObject } from '@backstage/types';
import {
  createTemplateAction,
  TemplateAction,
} from '@backstage/plugin-scaffolder-node';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ExternalSecretsApi } from '../api/ExternalSecretsApi';
import { checkRemoteKeys } from '../api/checkRemoteKeys';
import { findUsableStore } from '../api/findUsableStore';
import { renderExternalSecret } from '../manifest/renderExternalSecret';

/** The action's id. @public */
export const CREATE_EXTERNAL_SECRET_ACTION_ID = 'external-secrets:create';

const DEFAULT_TARGET_PATH = 'kubernetes/externalsecret-<name>.yaml';

/** Resolves `targetPath` inside the workspace; a path leaving it is an input error. */
function workspaceFile(workspacePath: string, targetPath: string): string {
  try {
    return resolveSafeChildPath(workspacePath, targetPath);
  } catch {
    throw new InputError(
      `targetPath "${targetPath}": must stay inside the workspace (no absolute paths, no "..")`,
    );
  }
}

/**
 * One `spec.data` entry of the `external-secrets:create` input: the Secret key
 * and the remote key it reads; other ESO fields pass through unchanged.
 *
 * @public
 */
export type CreateExternalSecretDataEntry = {
  secretKey: string;
  remoteRef: {
    key: string;
    property?: string;
    version?: string;
  } & JsonObject;
} & JsonObject;

/**
 * The input of the `external-secrets:create` action; its JSON schema describes
 * each field. Declared as plain JSON types so the action's published type
 * satisfies the scaffolder's `JsonObject` constraint (zod's passthrough
 * objects do not).
 *
 * @public
 */
export type CreateExternalSecretActionInput = {
  name: string;
  namespace: string;
  store: {
    kind: 'ClusterSecretStore' | 'SecretStore';
    name: string;
    namespace?: string;
    cluster?: string;
  };
  refreshInterval: string;
  target?: JsonObject;
  data: CreateExternalSecretDataEntry[];
  dataFrom?: JsonObject[];
  labels?: Record<string, string>;
  validateRemoteKeys: boolean;
  targetPath?: string;
};

/**
 * The output of the `external-secrets:create` action.
 *
 * @public
 */
export type CreateExternalSecretActionOutput = {
  /** Workspace-relative path of the manifest. */
  filePath: string;
  /** The manifest as written. */
  manifest: JsonObject;
};

/**
 * Creates the `external-secrets:create` action: renders an
 * `external-secrets.io/v1` ExternalSecret, validates it with the domain core,
 * checks (as the user running the template) that its store is known and Ready
 * and, with `validateRemoteKeys`, that the reconciler can read every remote key
 * it names (the backend resolves each as a sync does), then
 * writes it into the workspace. Only key NAMES are ever read; values never
 * reach the workspace or the logs. In a dry run the same checks run and the
 * file is written into the dry run's throwaway workspace, so the preview shows it.
 *
 * @public
 */
export function createExternalSecretAction(options: {
  api: ExternalSecretsApi;
}): TemplateAction<
  CreateExternalSecretActionInput,
  CreateExternalSecretActionOutput,
  'v2'
> {
  const { api } = options;
  return createTemplateAction({
    id: CREATE_EXTERNAL_SECRET_ACTION_ID,
    description:
      'Writes a validated ExternalSecret (external-secrets.io/v1) manifest into the workspace, after checking its store is Ready and (optionally) that its remote keys exist.',
    supportsDryRun: true,
    examples: [
      {
        description: 'The seed shape: one key from the Infisical store',
        example: `steps:
  - id: external-secret
    action: external-secrets:create
    input:
      name: my-secret
      namespace: my-namespace
      store: { kind: ClusterSecretStore, name: infisical-archon-platform }
      refreshInterval: 1h
      data:
        - secretKey: api-key
          remoteRef: { key: MY_SECRET_NAME }
      validateRemoteKeys: true`,
      },
    ],
    schema: {
      input: {
        name: z =>
          z
            .string()
            .describe(
              'metadata.name of the ExternalSecret (and default target Secret name)',
            ),
        namespace: z =>
          z.string().describe('Namespace of the ExternalSecret and its Secret'),
        store: z =>
          z
            .object({
              kind: z
                .enum(['ClusterSecretStore', 'SecretStore'])
                .default('ClusterSecretStore'),
              name: z.string(),
              namespace: z.string().optional(),
              cluster: z.string().optional(),
            })
            .describe(
              'The store to read from (spec.secretStoreRef); namespace/cluster narrow the lookup',
            ),
        refreshInterval: z =>
          z
            .string()
            .default('1h')
            .describe('Go duration, e.g. 1h, 15m; 0 syncs once'),
        target: z =>
          z
            .object({
              name: z.string().optional(),
              creationPolicy: z
                .enum(['Owner', 'Orphan', 'Merge', 'None', 'CreateOrMerge'])
                .optional(),
              deletionPolicy: z.enum(['Retain', 'Delete', 'Merge']).optional(),
              immutable: z.boolean().optional(),
              template: z.record(z.unknown()).optional(),
            })
            .optional()
            .describe('spec.target; name defaults to the ExternalSecret name'),
        data: z =>
          z
            .array(
              z
                .object({
                  secretKey: z.string(),
                  remoteRef: z
                    .object({
                      key: z.string(),
                      property: z.string().optional(),
                      version: z.string().optional(),
                    })
                    .passthrough(),
                })
                .passthrough(),
            )
            .default([])
            .describe('spec.data: secretKey <- remoteRef.key[.property]'),
        dataFrom: z =>
          z
            .array(z.record(z.unknown()))
            .optional()
            .describe('spec.dataFrom entries (extract / find / rewrite)'),
        labels: z =>
          z
            .record(z.string())
            .optional()
            .describe(
              'Labels of the ExternalSecret, e.g. backstage.io/kubernetes-id to tie it to the component',
            ),
        validateRemoteKeys: z =>
          z
            .boolean()
            .default(false)
            .describe(
              'Check that the reconciler can read every remoteRef/extract key through the store, resolved as a sync resolves it (names only; needs external-secrets.stores.keys.read)',
            ),
        targetPath: z =>
          z
            .string()
            .optional()
            .describe(
              `Workspace path of the manifest; default ${DEFAULT_TARGET_PATH}`,
            ),
      },
      output: {
        filePath: z =>
          z.string().describe('Workspace-relative path of the manifest'),
        manifest: z =>
          // any, not unknown: the declared output type is a JsonObject.
          z.record(z.any()).describe('The manifest as written'),
      },
    },
    async handler(ctx) {
      const { input } = ctx;
      const store = {
        ...input.store,
        kind: input.store.kind ?? 'ClusterSecretStore',
      };
      const rendered = renderExternalSecret({
        name: input.name,
        namespace: input.namespace,
        labels: input.labels,
        store,
        // Defaults again: the scaffolder validates input with JSON schema and
        // does not apply the zod defaults.
        refreshInterval: input.refreshInterval ?? '1h',
        target: input.target as JsonObject | undefined,
        data: (input.data ?? []) as JsonObject[],
        dataFrom: input.dataFrom as JsonObject[] | undefined,
      });
      for (const warning of rendered.warnings) ctx.logger.warn(warning.message);
      const targetPath =
        input.targetPath ?? `kubernetes/externalsecret-${input.name}.yaml`;
      const file = workspaceFile(ctx.workspacePath, targetPath);

      const credentials = await ctx.getInitiatorCredentials();
      const usable = findUsableStore(
        await api.listStores(credentials).catch(error => {
          throw new InputError(
            `Cannot check store ${store.name}: ${error.message}`,
          );
        }),
        store,
        input.namespace,
      );
      ctx.logger.info(
        `Store ${usable.kind} ${usable.name} (${
          usable.cluster ? `cluster ${usable.cluster}` : 'app-config'
        }) is Ready`,
      );

      if (input.validateRemoteKeys) {
        await checkRemoteKeys({
          api,
          store: usable,
          externalSecret: rendered.parsed.externalSecret,
          credentials,
          logger: ctx.logger,
        });
      }

      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, rendered.yaml, { encoding: 'utf8', flag: 'w' });
      ctx.logger.info(
        `Wrote ExternalSecret ${input.namespace}/${
          input.name
        } to ${targetPath}${ctx.isDryRun ? ' (dry run)' : ''}`,
      );
      ctx.output('filePath', targetPath);
      ctx.output('manifest', rendered.manifest);
    },
  });
}
