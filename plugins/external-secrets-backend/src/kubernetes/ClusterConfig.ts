import type { SecretValue } from '@external-secrets-backstage/backstage-plugin-external-secrets-node';

/**
 * `reconcile`: this plugin is the controller (writes Secrets and status).
 * `observe`: ESO runs in the cluster; the plugin only reads and reports.
 *
 * @public
 */
export type ClusterMode = 'reconcile' | 'observe';

/**
 * How to reach a cluster's apiserver.
 *
 * - `serviceAccount`: bearer token against `url`; without `token`, the token
 *   mounted into the backend's pod is used (re-read when it rotates).
 * - `localKubectlProxy`: no credentials, e.g. `kubectl proxy` on 127.0.0.1:8001.
 * - `inCluster`: the cluster the backend runs in (service host, mounted token and CA).
 * - `kubeconfig`: a kubeconfig file (default `$KUBECONFIG` or `~/.kube/config`)
 *   and context (default its current context).
 *
 * @public
 */
export type ClusterConnection =
  | {
      type: 'serviceAccount';
      url: string;
      token?: SecretValue;
      /** Base64 PEM, as in a kubeconfig's `certificate-authority-data`. */
      caData?: string;
      caFile?: string;
      skipTLSVerify: boolean;
    }
  | { type: 'localKubectlProxy'; url: string }
  | { type: 'inCluster' }
  | { type: 'kubeconfig'; path?: string; context?: string };

/** Where a cluster was declared. @public */
export type ClusterConfigSource =
  | 'externalSecrets.clusters'
  | 'externalSecrets.kubeconfig'
  | 'kubernetes.clusterLocatorMethods';

/**
 * What the plugin does about the workloads that read its Secrets:
 * - `off` (default): nothing; no workload or pod is read.
 * - `observe`: lists Deployments, StatefulSets, DaemonSets, CronJobs (pod
 *   templates only) and their pods, and reports which read each Secret and
 *   whether they run its current data. Never patches. For clusters where
 *   Stakater Reloader itself restarts workloads.
 * - `restart`: as observe, plus the restart: on change for workloads that
 *   opted in (Reloader's annotations or ours), in reconcile mode only, and
 *   "Restart now" for permitted users. Needs `patch` on the workloads.
 *
 * @public
 */
export type RolloutMode = 'off' | 'observe' | 'restart';

/** One usable cluster. @public */
export type ClusterConfig = {
  name: string;
  /** Default `observe`. */
  mode: ClusterMode;
  /** Declared free of a running ESO controller: reconcile every store. Default false. */
  esoFree: boolean;
  /** In reconcile mode, act on stores whose `spec.controller` is this class. */
  controllerClass?: string;
  /** Workload consumers and restarts; absent means `off`. */
  rollout?: RolloutMode;
  /** The config key it came from, e.g. `externalSecrets.clusters[2]`. */
  configKey: string;
  source: ClusterConfigSource;
  connection: ClusterConnection;
};

/** A declared cluster the background sync cannot use, and why. @public */
export type UnusableCluster = {
  name: string;
  reason: string;
};

/** @public */
export type ClusterConfigs = {
  clusters: ClusterConfig[];
  unusable: UnusableCluster[];
};
