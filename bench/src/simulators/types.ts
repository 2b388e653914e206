/** Where the runner finds the simulators. */
export type SimulatorEndpoints = {
  infisicalUrl: string;
  kubernetesUrl: string;
  kubernetesToken: string;
};

/** Infisical requests since the last count, from the simulator's request log. */
export type InfisicalCounts = {
  total: number;
  /** Universal / Kubernetes auth logins. */
  logins: number;
  renewals: number;
  revocations: number;
  /** Project slug → id lookups. */
  projectLookups: number;
  /** Secret list calls (v4/v3), including the 304s below. */
  lists: number;
  /** List calls answered 304 Not Modified (If-None-Match matched). */
  notModified: number;
  /** Single-secret reads (v4/v3). */
  singleReads: number;
  folderLists: number;
  /** Answers with status >= 400 or dropped. */
  errors: number;
};

/** Kubernetes apiserver requests since the last count. */
export type KubernetesCounts = {
  total: number;
  /** get / list / watch */
  reads: number;
  /** create / update / patch / delete */
  writes: number;
  errors: number;
  /** e.g. `list secrets`: 20, `update externalsecrets/status`: 1000 */
  byVerbAndResource: Record<string, number>;
};

export type SimulatorCounts = {
  infisical: InfisicalCounts;
  kubernetes: KubernetesCounts;
};

/** Wall-clock times (ms since the epoch, simulator process) of a value change reaching Secrets. */
export type PropagationResult = {
  /** Numbered in the order of the changes. */
  id: number;
  changedAt: number;
  firstUpdatedAt?: number;
  allUpdatedAt?: number;
  /** Secrets that map the changed key. */
  dependents: number;
  updated: number;
  /** The webhook Infisical delivered for the change, when asked to. */
  webhook?: { status?: number; sentAt?: number; error?: string };
};
