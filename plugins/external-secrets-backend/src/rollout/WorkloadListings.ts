import {
  PodStart,
  WORKLOAD_KINDS,
  WorkloadKind,
  WorkloadObject,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-node';
import { ClusterClient } from '../kubernetes/ClusterClient';

/** A namespace's workloads, and why some kinds could not be listed. */
export type ListedWorkloads = {
  workloads: WorkloadObject[];
  /** The kinds that could not be listed: their consumers are unknown this cycle. */
  unlisted: WorkloadKind[];
  error?: string;
};

/**
 * The workloads of each namespace, listed once per cycle: one list per kind
 * (Deployments, StatefulSets, DaemonSets, CronJobs), shared by every
 * ExternalSecret of the namespace. A kind that fails (RBAC, a cluster without
 * batch/v1) is named in `error`; the others are still used.
 */
export class WorkloadListings {
  private readonly listed = new Map<string, Promise<ListedWorkloads>>();
  private readonly pods = new Map<string, Promise<PodStart[]>>();

  workloads(
    client: ClusterClient,
    namespace: string,
  ): Promise<ListedWorkloads> {
    const key = `${client.clusterName}/${namespace}`;
    let listing = this.listed.get(key);
    if (!listing) {
      listing = listAll(client, namespace);
      this.listed.set(key, listing);
    }
    return listing;
  }

  /** A workload's pods, listed once per cycle per selector (several Secrets may share a reader). */
  podsOf(
    client: ClusterClient,
    namespace: string,
    labelSelector: string,
  ): Promise<PodStart[]> {
    const key = `${client.clusterName}/${namespace}/${labelSelector}`;
    let listing = this.pods.get(key);
    if (!listing) {
      listing = client.listPods(namespace, labelSelector);
      this.pods.set(key, listing);
    }
    return listing;
  }
}

async function listAll(
  client: ClusterClient,
  namespace: string,
): Promise<ListedWorkloads> {
  const results = await Promise.allSettled(
    WORKLOAD_KINDS.map(kind => client.listWorkloads(kind, namespace)),
  );
  const workloads: WorkloadObject[] = [];
  const unlisted: WorkloadKind[] = [];
  const errors: string[] = [];
  results.forEach((result, i) => {
    if (result.status === 'fulfilled') {
      workloads.push(...result.value);
      return;
    }
    unlisted.push(WORKLOAD_KINDS[i]);
    errors.push(
      `could not list ${WORKLOAD_KINDS[i]}s in namespace ${namespace}: ${
        (result.reason as Error).message
      }`,
    );
  });
  return {
    workloads,
    unlisted,
    ...(errors.length > 0 && { error: errors.join('; ') }),
  };
}
