import type { UnparsedKubernetesObject } from './types';

/** What the reconciler watches in a cluster. @public */
export type WatchedResource =
  | 'externalsecrets'
  | 'secretstores'
  | 'clustersecretstores'
  | 'secrets';

/** One change a watch delivered. @public */
export type WatchChange = {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  object: UnparsedKubernetesObject;
};

/** @public */
export type WatchListener = {
  /**
   * Every object as of one resourceVersion: the first list, and the list
   * taken again when the watch's resourceVersion expired (410 Gone), so the
   * listener can tell what changed while nothing was watched.
   */
  onList(objects: UnparsedKubernetesObject[], relisted: boolean): void;
  onChange(change: WatchChange): void;
  /** A list or watch failed; the watch retries with backoff. */
  onError?(error: Error): void;
};

/** A running watch. @public */
export type ResourceWatch = {
  /** Settles once the first list was delivered (or failed once). */
  readonly listed: Promise<void>;
  stop(): void;
};

/**
 * The reconciler's view of a cluster's changes: list once, then watch from the
 * list's resourceVersion (bookmarks keep it fresh), resume after a dropped
 * connection, list again only after 410 Gone. Memory is the listener's: the
 * watcher keeps nothing but the resourceVersion.
 *
 * @public
 */
export interface ClusterWatcher {
  watch(
    resource: WatchedResource,
    options: { labelSelector?: string },
    listener: WatchListener,
  ): ResourceWatch;
}
