import { ESO_API_VERSION } from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import { KubeConfig, Watch } from '@kubernetes/client-node';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  ClusterWatcher,
  ResourceWatch,
  WatchedResource,
  WatchListener,
} from './ClusterWatcher';
import type { UnparsedKubernetesObject } from './types';

/** Lists a resource across the cluster with the list's resourceVersion. */
export type WatchLister = (
  resource: WatchedResource,
  labelSelector?: string,
) => Promise<{ items: UnparsedKubernetesObject[]; resourceVersion: string }>;

export type KubernetesClusterWatcherOptions = {
  kubeConfig: KubeConfig;
  list: WatchLister;
  /** First retry delay after a failed list or watch; doubles up to maxBackoffMs. Default 1 s. */
  minBackoffMs?: number;
  /** Default 30 s. */
  maxBackoffMs?: number;
  /**
   * The apiserver ends each watch after this many seconds (plus up to 10 %
   * jitter, as client-go's reflector does), and it is resumed from the last
   * resourceVersion. Default 300.
   */
  timeoutSeconds?: number;
};

const PATHS: Record<WatchedResource, string> = {
  externalsecrets: `/apis/${ESO_API_VERSION}/externalsecrets`,
  secretstores: `/apis/${ESO_API_VERSION}/secretstores`,
  clustersecretstores: `/apis/${ESO_API_VERSION}/clustersecretstores`,
  secrets: '/api/v1/secrets',
};

type WatchEnd = 'closed' | 'gone';

/**
 * ClusterWatcher on `@kubernetes/client-node`'s `Watch`: the list-then-watch
 * loop of client-go's reflector. It lists once, watches from the list's
 * resourceVersion with bookmarks, resumes from the last resourceVersion seen
 * after a closed connection (backing off after failures), and lists again only
 * when that resourceVersion expired (410 Gone). It keeps only the
 * resourceVersion; objects go to the listener.
 */
export class KubernetesClusterWatcher implements ClusterWatcher {
  private readonly watcher: Watch;

  constructor(private readonly options: KubernetesClusterWatcherOptions) {
    this.watcher = new Watch(options.kubeConfig);
  }

  watch(
    resource: WatchedResource,
    options: { labelSelector?: string },
    listener: WatchListener,
  ): ResourceWatch {
    const stopping = new AbortController();
    let listed: () => void = () => undefined;
    const firstList = new Promise<void>(resolve => {
      listed = resolve;
    });
    this.loop(resource, options.labelSelector, listener, stopping.signal, () =>
      listed(),
    ).catch(() => undefined);
    return {
      listed: firstList,
      stop: () => stopping.abort(),
    };
  }

  private async loop(
    resource: WatchedResource,
    labelSelector: string | undefined,
    listener: WatchListener,
    signal: AbortSignal,
    onFirstList: () => void,
  ) {
    const state: {
      resourceVersion?: string;
      hasListed: boolean;
      failures: number;
    } = { hasListed: false, failures: 0 };
    const seen = (rv: string) => {
      state.resourceVersion = rv;
      state.failures = 0;
    };
    while (!signal.aborted) {
      try {
        if (state.resourceVersion === undefined) {
          const list = await this.options.list(resource, labelSelector);
          if (signal.aborted) return;
          listener.onList(list.items, state.hasListed);
          state.hasListed = true;
          onFirstList();
          state.resourceVersion = list.resourceVersion;
        }
        const end = await this.watchOnce(
          resource,
          labelSelector,
          state.resourceVersion,
          listener,
          signal,
          seen,
        );
        if (end === 'gone') state.resourceVersion = undefined;
      } catch (error) {
        if (signal.aborted) return;
        onFirstList();
        state.failures++;
        listener.onError?.(error as Error);
        await sleep(this.backoffMs(state.failures), undefined, {
          signal,
        }).catch(() => undefined);
      }
    }
  }

  /** One watch connection; resolves when it ends, 'gone' when the resourceVersion expired. */
  private watchOnce(
    resource: WatchedResource,
    labelSelector: string | undefined,
    resourceVersion: string,
    listener: WatchListener,
    signal: AbortSignal,
    seen: (resourceVersion: string) => void,
  ): Promise<WatchEnd> {
    const timeout = this.options.timeoutSeconds ?? 300;
    return new Promise<WatchEnd>((resolve, reject) => {
      let gone = false;
      let failure: Error | undefined;
      let controller: AbortController | undefined;
      const abort = () => controller?.abort();
      const finish = (error: unknown) => {
        signal.removeEventListener('abort', abort);
        if (gone || (error as { statusCode?: number })?.statusCode === 410) {
          resolve('gone');
        } else if (failure || error) {
          reject(failure ?? (error as Error));
        } else resolve('closed');
      };
      signal.addEventListener('abort', abort, { once: true });
      this.watcher
        .watch(
          PATHS[resource],
          {
            resourceVersion,
            allowWatchBookmarks: true,
            labelSelector,
            timeoutSeconds: Math.round(timeout * (1 + Math.random() / 10)),
          },
          (type: string, object: any) => {
            const rv = object?.metadata?.resourceVersion;
            if (type === 'ERROR') {
              if (object?.code === 410) gone = true;
              else
                failure = new Error(
                  `watch of ${resource} failed: ${object?.code} ${object?.reason}: ${object?.message}`,
                );
              return;
            }
            if (rv) seen(rv);
            if (type === 'ADDED' || type === 'MODIFIED' || type === 'DELETED')
              listener.onChange({ type, object });
          },
          finish,
        )
        .then(c => {
          controller = c;
          if (signal.aborted) c.abort();
        }, finish);
    });
  }

  private backoffMs(failures: number): number {
    const min = this.options.minBackoffMs ?? 1_000;
    const max = this.options.maxBackoffMs ?? 30_000;
    return Math.min(min * 2 ** (failures - 1), max);
  }
}
