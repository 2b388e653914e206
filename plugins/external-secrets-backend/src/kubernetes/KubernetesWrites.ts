import {
  ESO_API_VERSION,
  ESO_GROUP,
  ExternalSecretStatus,
  SecretStore,
  StoreKind,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import {
  CoreV1Api,
  CoreV1Event,
  CustomObjectsApi,
} from '@kubernetes/client-node';
import { DeleteSecretOptions, SecretWriteOptions } from './ClusterClient';
import {
  ClusterRequests,
  coreTarget,
  ESO_VERSION,
  esoTarget,
  FIELD_MANAGER,
  secretTarget,
  Target,
} from './ClusterRequests';
import { KubernetesReads } from './KubernetesReads';
import { MERGE_PATCH } from './requestOptions';
import { fromV1Secret, toV1Secret } from './secretMapping';
import { KubernetesSecret, UnparsedKubernetesObject } from './types';

/**
 * Every write to a cluster: Secrets (create, replace with optimistic
 * concurrency, delete with preconditions), the ExternalSecret status
 * subresource and its annotations. Each names itself as FIELD_MANAGER, but
 * a target Secret, written as its ExternalSecret's own field manager as ESO
 * does (SecretWriteOptions).
 */
export class KubernetesWrites {
  constructor(
    private readonly core: CoreV1Api,
    private readonly custom: CustomObjectsApi,
    private readonly requests: ClusterRequests,
    private readonly reads: KubernetesReads,
  ) {}

  async createSecret(
    secret: KubernetesSecret,
    options: SecretWriteOptions = {},
  ): Promise<KubernetesSecret> {
    const { namespace, name } = secret.metadata;
    const created = await this.requests.call(
      secretTarget('create', namespace, name),
      opts =>
        this.core.createNamespacedSecret(
          {
            namespace,
            body: toV1Secret(secret, { withResourceVersion: false }),
            fieldManager: options.fieldManager ?? FIELD_MANAGER,
          },
          opts,
        ),
    );
    return fromV1Secret(created);
  }

  async replaceSecret(
    secret: KubernetesSecret,
    options: SecretWriteOptions = {},
  ): Promise<KubernetesSecret> {
    const { namespace, name, resourceVersion } = secret.metadata;
    const target = secretTarget('update', namespace, name);
    if (!resourceVersion) {
      throw this.requests.invalid(
        target,
        `refusing to replace Secret "${name}" in namespace "${namespace}" without metadata.resourceVersion: read the Secret first so a concurrent change is not overwritten.`,
      );
    }
    const replaced = await this.requests.call(target, opts =>
      this.core.replaceNamespacedSecret(
        {
          namespace,
          name,
          body: toV1Secret(secret, { withResourceVersion: true }),
          fieldManager: options.fieldManager ?? FIELD_MANAGER,
        },
        opts,
      ),
    );
    return fromV1Secret(replaced);
  }

  async deleteSecret(
    namespace: string,
    name: string,
    options: DeleteSecretOptions = {},
  ): Promise<boolean> {
    const target = secretTarget('delete', namespace, name);
    const body = options.resourceVersion
      ? { preconditions: { resourceVersion: options.resourceVersion } }
      : {};
    const deleted = await this.requests.optional(target, async opts => {
      await this.core.deleteNamespacedSecret({ namespace, name, body }, opts);
      return true;
    });
    return deleted ?? false;
  }

  async replaceExternalSecretStatus(
    namespace: string,
    name: string,
    status: ExternalSecretStatus,
    resourceVersion?: string,
  ): Promise<UnparsedKubernetesObject> {
    const current = resourceVersion
      ? undefined
      : await this.reads.getExternalSecret(namespace, name);
    const body = current
      ? { ...current, status }
      : {
          apiVersion: ESO_API_VERSION,
          kind: 'ExternalSecret',
          metadata: { name, namespace, resourceVersion },
          status,
        };
    const target = esoTarget(
      'update',
      'externalsecrets/status',
      namespace,
      name,
    );
    return this.requests.call(target, opts =>
      this.custom.replaceNamespacedCustomObjectStatus(
        {
          group: ESO_GROUP,
          version: ESO_VERSION,
          namespace,
          plural: 'externalsecrets',
          name,
          body,
          fieldManager: FIELD_MANAGER,
        },
        opts,
      ),
    );
  }

  /**
   * Replaces a SecretStore's or ClusterSecretStore's `status` through its
   * status subresource, at `resourceVersion` (a stale one is a CONFLICT: the
   * next cycle writes again from the fresh object).
   */
  async replaceSecretStoreStatus(
    kind: StoreKind,
    namespace: string,
    name: string,
    status: NonNullable<SecretStore['status']>,
    resourceVersion: string,
  ): Promise<UnparsedKubernetesObject> {
    const cluster = kind === 'ClusterSecretStore';
    const plural = cluster ? 'clustersecretstores' : 'secretstores';
    const body = {
      apiVersion: ESO_API_VERSION,
      kind,
      metadata: cluster
        ? { name, resourceVersion }
        : { name, namespace, resourceVersion },
      status,
    };
    const target = esoTarget(
      'update',
      `${plural}/status`,
      cluster ? undefined : namespace,
      name,
    );
    const common = {
      group: ESO_GROUP,
      version: ESO_VERSION,
      plural,
      name,
      body,
      fieldManager: FIELD_MANAGER,
    };
    return this.requests.call(target, opts =>
      cluster
        ? this.custom.replaceClusterCustomObjectStatus(common, opts)
        : this.custom.replaceNamespacedCustomObjectStatus(
            { ...common, namespace },
            opts,
          ),
    );
  }

  /** Creates a core v1 Event (what `kubectl describe` lists). */
  async createEvent(event: CoreV1Event): Promise<void> {
    const namespace = event.metadata?.namespace ?? 'default';
    await this.requests.call(coreTarget('create', 'events', namespace), opts =>
      this.core.createNamespacedEvent(
        { namespace, body: event, fieldManager: FIELD_MANAGER },
        opts,
      ),
    );
  }

  async patchExternalSecretAnnotations(
    namespace: string,
    name: string,
    annotations: Record<string, string | null>,
  ): Promise<UnparsedKubernetesObject> {
    const target: Target = {
      ...esoTarget('patch', 'externalsecrets', namespace, name),
      contentType: MERGE_PATCH,
    };
    return this.requests.call(target, opts =>
      this.custom.patchNamespacedCustomObject(
        {
          group: ESO_GROUP,
          version: ESO_VERSION,
          namespace,
          plural: 'externalsecrets',
          name,
          body: { metadata: { annotations } },
          fieldManager: FIELD_MANAGER,
        },
        opts,
      ),
    );
  }
}
