import { makeFieldSchema } from '@backstage/plugin-scaffolder-react';

/**
 * The JSON schema of the field's value, shown by the template editor's field
 * explorer. The field's own validation checks the rest (key format, duplicates).
 */
export const ExternalSecretMappingsPickerSchema = makeFieldSchema({
  output: z =>
    z.object({
      store: z
        .object({
          kind: z.string().describe('SecretStore or ClusterSecretStore'),
          name: z.string(),
          namespace: z
            .string()
            .optional()
            .describe('Namespace of a SecretStore'),
          cluster: z.string().optional(),
        })
        .describe('The store the ExternalSecret references'),
      data: z
        .array(
          z.object({
            secretKey: z
              .string()
              .describe('Key in the Kubernetes Secret, ^[-._a-zA-Z0-9]+$'),
            remoteRef: z.object({
              key: z.string().describe('Remote key in the store'),
              property: z.string().optional(),
            }),
          }),
        )
        .describe('spec.data of the ExternalSecret'),
    }),
});
