import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';
import { HumanDuration } from '@backstage/types';

export interface Config {
  /** Configuration of the External Secrets backend plugin. */
  externalSecrets?: {
    /**
     * Playground for a first look without a cluster: the plugin starts an
     * in-process SIMULATED Kubernetes cluster (`playground`) holding a sample
     * ExternalSecret, and a `fake` ClusterSecretStore with sample values
     * (`playground-sample-store`). Entities opt in with the annotation
     * `backstage.io/kubernetes-id: external-secrets-playground`. The card, tab
     * and admin page say "Playground". Refused at startup when NODE_ENV is
     * `production`. Default false.
     */
    playground?: boolean;
    /**
     * When the reconcile cycle runs. Default: every minute, timeout 5 minutes
     * (keep it above the worst cycle: after the timeout another replica may start
     * a cycle; and not far above it: a replica that dies mid-cycle holds the
     * task until the timeout), initial delay 10 seconds.
     * Each cluster is its own scheduled task (`external-secrets-reconcile:<cluster>`),
     * so replicas share clusters. With watches, `frequency` is the periodic
     * resync: a run holds its cluster that long, reacting to watch events.
     */
    schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
    /** Watches of ExternalSecrets, stores and managed Secrets (react within seconds). */
    watch?: {
      /**
       * Default true. Needs `watch` (besides `list`) on externalsecrets,
       * secretstores, clustersecretstores and secrets. Off: periodic cycle only.
       */
      enabled?: boolean;
    };
    /**
     * The `spec.controller` class this plugin reconciles for in `reconcile` mode.
     * ExternalSecrets whose store names another class (or none, on clusters not
     * declared ESO-free) are left to the ESO running there. Default `backstage`.
     */
    controllerClass?: string;
    /** Concurrency limits. */
    concurrency?: {
      /** Provider reads in flight at once. Default 8. */
      providerReads?: number;
      /**
       * Kubernetes requests in flight at once per cluster (ExternalSecrets
       * handled at once, and connections kept to each apiserver). Default 32.
       */
      kubernetesRequests?: number;
    };
    /**
     * SecretStores and ClusterSecretStores declared by platform admins, in the ESO
     * shape (`kind`, `metadata`, `spec.provider.infisical` / `spec.provider.fake`).
     * They are used for ExternalSecrets in every configured cluster, after the
     * stores found in that cluster.
     */
    stores?: Array<{
      apiVersion?: string;
      kind: 'SecretStore' | 'ClusterSecretStore';
      metadata: { name: string; namespace?: string };
      spec: object;
    }>;
    /**
     * Credentials in the shape of Kubernetes Secrets. A store's SecretKeySelector
     * `{name, key, namespace}` resolves here first (then in the cluster), so store
     * manifests keep the ESO shape while their values come from `${ENV}`.
     * Admin stores only (app-config stores and ClusterSecretStores), by exact
     * match: an entry with `namespace` matches refs to that namespace, one
     * without matches refs without a namespace. A namespaced SecretStore CR never
     * resolves to these.
     */
    credentials?: Array<{
      name: string;
      namespace?: string;
      /**
       * Key to value.
       * @visibility secret
       */
      data: { [key: string]: string };
    }>;
    /** Sync-now rate limit, shared by all replicas through the database. */
    syncNow?: {
      /** Sync-now requests per user (or calling service) and entity per minute; a refused request is answered 429 with Retry-After. Default 6. */
      maxPerEntityPerMinute?: number;
    };
    /** `GET /stores/.../keys`: key-name listing limits. */
    storeKeys?: {
      /** Listings per user (or calling service) and store per minute, across replicas. Default 30. */
      maxPerUserPerMinute?: number;
      /**
       * Key names one listing carries at most; a store that can read more is
       * listed as incomplete (`complete: false` with a message), and pickers
       * still accept typed keys. Default 1000.
       */
      maxKeys?: number;
      /**
       * How long listed key NAMES are reused per store scope, e.g. '60s', 'PT1M'
       * or { seconds: 60 }. Default 60s.
       */
      cacheTtl?: string | HumanDuration;
    };
    /** The REST API under `/api/external-secrets`. */
    api?: {
      /**
       * Also validate every RESPONSE against the OpenAPI document (requests
       * always are). For tests, so the document and the code cannot drift; it
       * costs time on every request. Default false.
       */
      validateResponses?: boolean;
    };
    /** Sync event history. */
    events?: {
      /** Events kept per ExternalSecret. Default 50. */
      keepPerExternalSecret?: number;
    };
    /** ExternalSecret status writes (reconcile mode). */
    status?: {
      /**
       * Move `status.refreshTime` on every refresh, as ESO does, for tooling
       * that watches it. Costs one status write per ExternalSecret per refresh
       * (1,000 ExternalSecrets refreshed hourly: 1,000 writes/hour). Default
       * false: refreshTime moves only when the status changes, and a steady
       * state writes nothing.
       */
      updateRefreshTime?: boolean;
    };
    /**
     * Clusters this plugin reads (observe) or reconciles. Entries here win a
     * name clash with the Kubernetes plugin's `kubernetes.clusterLocatorMethods`.
     * Unknown keys are rejected, so a typo fails at startup.
     */
    clusters?: Array<{
      /** Unique cluster name, shown in the UI and matched by `backstage.io/kubernetes-cluster`. */
      name: string;
      /**
       * The apiserver URL, e.g. `https://10.0.0.1:6443`. Required unless
       * `inCluster` is true.
       */
      url?: string;
      /**
       * Use the cluster the backend runs in: service host from the environment,
       * mounted service account token and CA. Default false.
       */
      inCluster?: boolean;
      /**
       * Server-side credentials only; user-delegated auth (google, oidc) cannot
       * run in a scheduled task. Default `serviceAccount`.
       */
      authProvider?: 'serviceAccount' | 'localKubectlProxy';
      /**
       * Bearer token of the plugin's service account. Omit to use the token
       * mounted into the backend's pod (re-read as it rotates).
       * @visibility secret
       */
      serviceAccountToken?: string;
      /**
       * Base64-encoded PEM of the cluster CA (like a kubeconfig's
       * `certificate-authority-data`). Set either caData or caFile.
       * @visibility secret
       */
      caData?: string;
      /**
       * Path to the cluster CA PEM file.
       * @visibility secret
       */
      caFile?: string;
      /** Do not verify the apiserver's certificate. Never in production. Default false. */
      dangerouslySkipTLSVerify?: boolean;
      /**
       * `observe`: ESO runs in the cluster, the plugin only reads and reports
       * (plus an explicit, permitted sync-now annotation). `reconcile`: the
       * plugin writes Secrets and ExternalSecret status. Default `observe`.
       */
      mode?: 'reconcile' | 'observe';
      /**
       * The cluster runs no ESO controller, so in reconcile mode every store is
       * ours. Default false: only stores whose `spec.controller` is
       * `controllerClass` are reconciled.
       */
      esoFree?: boolean;
      /** The `spec.controller` class this plugin reconciles in this cluster. */
      controllerClass?: string;
      /**
       * Workloads that read the synced Secrets. `off` (default): not looked
       * at. `observe`: list Deployments, StatefulSets, DaemonSets, CronJobs
       * and pods (list verb), report which read each Secret and whether their
       * pods run its current data. `restart`: also restart opted-in workloads
       * when our write changes the Secret's data (reconcile mode only) and
       * offer "Restart now" (patch verb). A cluster running Stakater Reloader
       * uses `observe`.
       */
      rollout?: 'off' | 'observe' | 'restart';
    }>;

    /**
     * One cluster from a kubeconfig file, e.g. a local kind cluster. Its
     * credentials (token, client certificate, exec plugin) come from the file.
     */
    kubeconfig?: {
      /** Cluster name. Default: `context`, else `kubeconfig`. */
      name?: string;
      /** Default: `$KUBECONFIG`, else `~/.kube/config`. */
      path?: string;
      /** Default: the file's current context. */
      context?: string;
      /** Default `observe`. */
      mode?: 'reconcile' | 'observe';
      /** Default false. */
      esoFree?: boolean;
      controllerClass?: string;
      /** Default `off`; see `clusters[].rollout`. */
      rollout?: 'off' | 'observe' | 'restart';
    };

    /**
     * Also use the clusters of `kubernetes.clusterLocatorMethods` (type
     * `config` with server-side auth, and `localKubectlProxy`), in observe mode.
     * Default true.
     */
    useKubernetesPluginClusters?: boolean;

    /** Settings of the providers built into this plugin (modules add their own). */
    providers?: {
      /**
       * ESO's `fake` provider: values written in the store spec itself, for
       * demos and tests. Off by default, so in production a store with
       * `provider.fake` is reported "not installed" and serves nothing.
       */
      fake?: {
        /** Default false. */
        enabled?: boolean;
      };
    };

    /** Security limits. */
    security?: {
      /**
       * Hosts that stores declared by NAMESPACED SecretStore CRs may contact
       * (SSRF guard: whoever may create a SecretStore in a namespace must not
       * point the backend at the cloud metadata service or an internal API).
       * Entries: `host` (the scheme's default port), `host:8443`, `host:*`,
       * `*.corp.example` (any subdomain), `[::1]:8443`, or `*` (everything,
       * including providers that do not declare their hosts). ClusterSecretStores
       * and stores in `externalSecrets.stores` are not restricted.
       * Default: empty, so namespaced SecretStores that contact a host are refused.
       */
      namespacedStoreHosts?: string[];
      /**
       * Exceptions to the address check of namespaced SecretStores. Even for a
       * host in `namespacedStoreHosts`, the addresses it resolves to are
       * checked when the connection opens: loopback, link-local (169.254/16,
       * fe80::/10: cloud metadata), private (10/8, 172.16/12, 192.168/16,
       * fc00::/7), shared 100.64/10, unspecified, multicast and reserved
       * addresses (also IPv4-mapped) are refused unless listed here, as an
       * exact host name (`infisical.infra.svc.cluster.local`), an IP or a CIDR
       * (`10.96.0.0/12`, `fd00::/8`). Default: empty.
       */
      namespacedStorePrivateAddresses?: string[];
    };

    /**
     * Faster propagation than `refreshInterval`, opt-in per store: provider
     * webhooks (Infisical `secrets.modified`) and/or ETag polling. Both read
     * only the opted-in stores' ExternalSecrets; a 304 still counts against
     * the provider's request quota.
     */
    propagation?: {
      stores?: Array<{
        kind: 'SecretStore' | 'ClusterSecretStore';
        name: string;
        /** Only this cluster's store of that name; every cluster when absent. */
        cluster?: string;
        /** Only the SecretStore of this namespace; every namespace when absent. */
        namespace?: string;
        /** Sync this store's ExternalSecrets when a signed webhook reports a change. */
        webhook?: boolean;
        /**
         * Re-read this store's ExternalSecrets at least this often, at least 10s:
         * '5m', 'PT5M' or { minutes: 5 } (Backstage's readDurationFromConfig).
         */
        pollInterval?: string | HumanDuration;
      }>;
      webhooks?: {
        /** `POST /api/external-secrets/webhooks/infisical`, signed with the webhook's secret key. */
        infisical?: {
          /**
           * The secret key set on the Infisical project webhook.
           * @visibility secret
           */
          signingSecret: string;
          /**
           * Oldest signature timestamp accepted (replay window), e.g. '5m',
           * 'PT5M' or { minutes: 5 }. Default 5m.
           */
          maxAge?: string | HumanDuration;
        };
      };
    };

    /**
     * Entity-declared manifests (`external-secrets.io/manifests`): where they
     * go and who may declare what. Off on every cluster not listed in
     * `clusters`: a catalog author is not someone Kubernetes RBAC let into a
     * namespace, so the platform team says who may write where.
     */
    manifests?: {
      /** Cluster for entities without `backstage.io/kubernetes-cluster`. */
      defaultCluster?: string;
      /** Namespace for manifests without one and entities without `backstage.io/kubernetes-namespace`. */
      defaultNamespace?: string;
      /**
       * Largest manifest file read, in bytes; larger ones are refused
       * without being read further. Default 262144 (256 KiB).
       */
      maxBytes?: number;
      /** Clusters that accept entity-declared manifests. Default: none. */
      clusters?: Array<{
        /** The cluster's name, as in `externalSecrets.clusters`. */
        name: string;
        /**
         * Allow rules: a manifest is applied when ONE rule admits its
         * entity's owner, its namespace and every store it reads from;
         * otherwise it is an Error on the card naming the rules, and nothing
         * is written.
         */
        allow: Array<{
          /**
           * Owner entity refs (`group:default/team-a`; kind defaults to
           * group, namespace to default), matched against the entity's
           * `spec.owner`. Absent: any owner.
           */
          owners?: string[];
          /**
           * Namespace names or `*` globs; `{name}` stands for the entity's
           * `metadata.name` (e.g. `app-{name}-*`). At least one.
           */
          namespaces: string[];
          /**
           * Stores the manifests may read from: `name` (either kind) or
           * `Kind/name`, e.g. `ClusterSecretStore/shared`. Absent: any store
           * (ClusterSecretStore `spec.conditions` still apply).
           */
          stores?: string[];
        }>;
      }>;
    };
  };
}
