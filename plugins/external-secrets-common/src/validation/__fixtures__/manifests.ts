/**
 * Builders for test manifests as YAML text (what users write), one spec line
 * per argument in flow style: `externalSecret(STORE, 'data: [...]')`.
 */

export const STORE =
  'secretStoreRef: {name: infisical-archon-platform, kind: ClusterSecretStore}';
export const DATA =
  'data: [{secretKey: api-key, remoteRef: {key: MY_SECRET_NAME}}]';

export function externalSecret(...specLines: string[]): string {
  return [
    'apiVersion: external-secrets.io/v1',
    'kind: ExternalSecret',
    'metadata: {name: my-secret, namespace: my-namespace}',
    'spec:',
    ...specLines.map(line => `  ${line}`),
  ].join('\n');
}

/** The seed ExternalSecret with the given target block (flow style). */
export function withTarget(target: string): string {
  return externalSecret(STORE, `target: ${target}`, DATA);
}

/** An Infisical store; `provider` is the block under `spec.provider.infisical`. */
export function infisicalStore(
  provider: string,
  {
    kind = 'ClusterSecretStore',
    namespace,
  }: { kind?: string; namespace?: string } = {},
): string {
  return [
    'apiVersion: external-secrets.io/v1',
    `kind: ${kind}`,
    `metadata: {name: infisical-archon-platform${
      namespace ? `, namespace: ${namespace}` : ''
    }}`,
    'spec:',
    '  provider:',
    `    infisical: ${provider}`,
  ].join('\n');
}

export const UNIVERSAL_AUTH =
  'auth: {universalAuthCredentials: {clientId: {name: ua, key: clientId}, clientSecret: {name: ua, key: clientSecret}}}';
export const SCOPE =
  'secretsScope: {projectSlug: archon-platform-pzxu, environmentSlug: prod}';
