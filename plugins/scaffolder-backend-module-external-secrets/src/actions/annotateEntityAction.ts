import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  ANNOTATION_EXTERNAL_SECRETS_MANIFESTS,
  ANNOTATION_KUBERNETES_CLUSTER,
  ANNOTATION_KUBERNETES_ID,
  ANNOTATION_KUBERNETES_NAMESPACE,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import { readFile, writeFile } from 'node:fs/promises';
import { Document, isMap, parseAllDocuments } from 'yaml';

/** The action's id. @public */
export const ANNOTATE_ENTITY_ACTION_ID = 'external-secrets:annotate';

type AnnotateInput = {
  kubernetesId?: string;
  namespace?: string;
  cluster?: string;
  manifests?: string[];
};

/** The annotations the input asks for, by the names the plugins read. */
function annotationsOf(input: AnnotateInput): Record<string, string> {
  const entries: [string, string | undefined][] = [
    [ANNOTATION_KUBERNETES_ID, input.kubernetesId],
    [ANNOTATION_KUBERNETES_NAMESPACE, input.namespace],
    [ANNOTATION_KUBERNETES_CLUSTER, input.cluster],
    [
      ANNOTATION_EXTERNAL_SECRETS_MANIFESTS,
      input.manifests?.length ? input.manifests.join(',') : undefined,
    ],
  ];
  return Object.fromEntries(
    entries.filter((e): e is [string, string] => Boolean(e[1])),
  );
}

/** The entity document to annotate: the one named `entityName`, else the first. */
function pickDocument(
  documents: Document.Parsed[],
  filePath: string,
  entityName?: string,
): Document.Parsed {
  const entities = documents.filter(doc => isMap(doc.contents));
  const found = entityName
    ? entities.find(doc => doc.getIn(['metadata', 'name']) === entityName)
    : entities[0];
  if (!found) {
    throw new InputError(
      `${filePath}: ${
        entityName ? `no entity named "${entityName}"` : 'no entity document'
      } to annotate`,
    );
  }
  return found;
}

/**
 * Creates the `external-secrets:annotate` action: adds the annotations that
 * tie a catalog entity to its ExternalSecrets (`backstage.io/kubernetes-id`,
 * `-namespace`, `-cluster`, and `external-secrets.io/manifests`) to the
 * entity in a workspace `catalog-info.yaml`, keeping its comments and the
 * other documents. Workspace-only, so a dry run does the same.
 *
 * @public
 */
export function createAnnotateEntityAction() {
  return createTemplateAction({
    id: ANNOTATE_ENTITY_ACTION_ID,
    description:
      'Adds the annotations linking a catalog entity to its ExternalSecrets to a catalog-info.yaml in the workspace.',
    supportsDryRun: true,
    examples: [
      {
        description: 'Link the new component to its ExternalSecret',
        example: `steps:
  - id: annotate
    action: external-secrets:annotate
    input:
      kubernetesId: my-service
      namespace: my-namespace
      manifests: [./kubernetes/externalsecret-my-service.yaml]`,
      },
    ],
    schema: {
      input: {
        filePath: z =>
          z
            .string()
            .default('catalog-info.yaml')
            .describe('Workspace path of the entity file'),
        entityName: z =>
          z
            .string()
            .optional()
            .describe(
              'metadata.name of the entity to annotate; default: the first',
            ),
        kubernetesId: z =>
          z
            .string()
            .optional()
            .describe(
              'backstage.io/kubernetes-id: ExternalSecrets labelled with it belong to the entity',
            ),
        namespace: z =>
          z.string().optional().describe('backstage.io/kubernetes-namespace'),
        cluster: z =>
          z.string().optional().describe('backstage.io/kubernetes-cluster'),
        manifests: z =>
          z
            .array(z.string())
            .optional()
            .describe(
              'external-secrets.io/manifests: ExternalSecret files relative to the entity file',
            ),
      },
      output: {
        annotations: z =>
          z.record(z.string()).describe('The annotations that were set'),
      },
    },
    async handler(ctx) {
      const { entityName } = ctx.input;
      const filePath = ctx.input.filePath ?? 'catalog-info.yaml';
      const annotations = annotationsOf(ctx.input);
      if (Object.keys(annotations).length === 0) {
        throw new InputError(
          'Nothing to annotate: set kubernetesId, namespace, cluster or manifests',
        );
      }
      let file: string;
      try {
        file = resolveSafeChildPath(ctx.workspacePath, filePath);
      } catch {
        throw new InputError(
          `filePath "${filePath}": must stay inside the workspace (no absolute paths, no "..")`,
        );
      }
      const text = await readFile(file, 'utf8').catch(() => {
        throw new InputError(
          `${filePath} does not exist in the workspace; create it first (e.g. with fetch:template)`,
        );
      });
      const documents = parseAllDocuments(text);
      if (!Array.isArray(documents)) {
        throw new InputError(`${filePath} is not a YAML stream`);
      }
      const broken = documents.find(doc => doc.errors.length > 0);
      if (broken) {
        throw new InputError(
          `${filePath} is not valid YAML: ${broken.errors[0].message}`,
        );
      }
      const document = pickDocument(documents, filePath, entityName);
      for (const [key, value] of Object.entries(annotations)) {
        document.setIn(['metadata', 'annotations', key], value);
      }
      await writeFile(file, documents.map(doc => doc.toString()).join(''));
      ctx.logger.info(
        `Annotated ${String(
          document.getIn(['metadata', 'name']),
        )} in ${filePath}: ${Object.keys(annotations).join(', ')}`,
      );
      ctx.output('annotations', annotations);
    },
  });
}
