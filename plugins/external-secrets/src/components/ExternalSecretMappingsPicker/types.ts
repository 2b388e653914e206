/**
 * The store an ExternalSecret will reference, as `spec.secretStoreRef` plus
 * where it lives. `namespace` is set for a SecretStore only.
 *
 * @public
 */
export type ExternalSecretMappingsStore = {
  kind: string;
  name: string;
  namespace?: string;
  cluster?: string;
};

/**
 * One `spec.data[]` entry: the Kubernetes Secret key and the remote key (and
 * optional property) it is read from.
 *
 * @public
 */
export type ExternalSecretMapping = {
  secretKey: string;
  remoteRef: { key: string; property?: string };
};

/**
 * The value of the `ExternalSecretMappingsPicker` field, as the template
 * passes it to the `external-secrets:create` action. Only references: never a
 * secret value.
 *
 * @public
 */
export type ExternalSecretMappingsPickerValue = {
  store: ExternalSecretMappingsStore;
  data: ExternalSecretMapping[];
};
