import { ClusterClient } from '../kubernetes/ClusterClient';
import { ClusterConfig, UnusableCluster } from '../kubernetes/ClusterConfig';

export type RegisteredCluster = {
  config: ClusterConfig;
  client: ClusterClient;
};

/** The clusters this plugin works on: from config, and from modules (e.g. a simulated demo cluster). */
export class ClusterRegistry {
  private readonly clusters = new Map<string, RegisteredCluster>();
  private readonly unusableClusters: UnusableCluster[] = [];

  add(cluster: RegisteredCluster): void {
    if (this.clusters.has(cluster.config.name)) {
      throw new Error(
        `External Secrets cluster "${cluster.config.name}" is declared twice (${cluster.config.configKey}); cluster names must be unique`,
      );
    }
    this.clusters.set(cluster.config.name, cluster);
  }

  addUnusable(cluster: UnusableCluster): void {
    this.unusableClusters.push(cluster);
  }

  get(name: string): RegisteredCluster | undefined {
    return this.clusters.get(name);
  }

  list(): RegisteredCluster[] {
    return [...this.clusters.values()];
  }

  unusable(): UnusableCluster[] {
    return [...this.unusableClusters];
  }
}
