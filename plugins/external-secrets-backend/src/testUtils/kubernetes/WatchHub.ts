/**
 * The simulator's watch, after the apiserver's watch protocol
 * (k8s.io/apiserver storage/cacher): every change is an event carrying the
 * object at its new resourceVersion (a deleted object at the deletion's);
 * a watch from resourceVersion N replays the retained events after N, then
 * streams new ones as JSON lines; a resourceVersion older than the retained
 * window answers a `410 Gone` ERROR event ("too old resource version") and ends
 * the stream; `allowWatchBookmarks` adds BOOKMARK events carrying only the
 * current resourceVersion; `timeoutSeconds` ends the stream.
 */
import {
  LabelRequirement,
  matchesLabelSelector,
} from '../../kubernetes/labelSelector';
import { apiVersionOf, ResourceType } from './resources';
import { StoredObject } from './SimulatorStore';

/** @internal */
export type StoreChange = {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  resourceType: ResourceType;
  object: StoredObject;
  revision: number;
};

/** What a watch request asks for. @internal */
export type WatchRequest = {
  type: ResourceType;
  namespace?: string;
  requirements: LabelRequirement[];
  resourceVersion?: string;
  allowBookmarks: boolean;
  timeoutSeconds?: number;
};

/** Where a watch writes its lines. @internal */
export type WatchSink = {
  write(line: string): void;
  end(): void;
};

type OpenWatch = { request: WatchRequest; sink: WatchSink; close(): void };

const DEFAULT_HISTORY = 10_000;
const BOOKMARK_INTERVAL_MS = 1_000;

/** @internal */
export class WatchHub {
  private history: StoreChange[] = [];
  /** Events at or below this revision are gone from the window. */
  private compactedAt = 0;
  private readonly open = new Set<OpenWatch>();
  /** The store's revision: every change that bumps it is published here. */
  private revision = 0;

  constructor(private readonly maxHistory = DEFAULT_HISTORY) {}

  /** Records a change and sends it to the watches it matches. */
  publish(change: StoreChange): void {
    this.revision = Math.max(this.revision, change.revision);
    this.history.push(change);
    if (this.history.length > this.maxHistory) {
      const dropped = this.history.shift()!;
      this.compactedAt = dropped.revision;
    }
    for (const watch of this.open) {
      if (matches(watch.request, change)) watch.sink.write(eventLine(change));
    }
  }

  /**
   * Forgets every event so far, as an etcd compaction does: a watch from
   * an older resourceVersion gets 410 Gone and must list again.
   */
  compact(): void {
    this.history = [];
    this.compactedAt = this.revision;
  }

  /** Ends every open watch stream (a dropped connection, an apiserver restart). */
  closeAll(): void {
    for (const watch of [...this.open]) watch.close();
  }

  /** Starts a watch; returns how to stop it (client gone). */
  start(request: WatchRequest, sink: WatchSink): () => void {
    const from = request.resourceVersion;
    if (from !== undefined && from !== '' && from !== '0') {
      const revision = Number(from);
      if (!Number.isInteger(revision) || revision < this.compactedAt) {
        sink.write(goneLine(from, this.compactedAt));
        sink.end();
        return () => undefined;
      }
      for (const change of this.history) {
        if (change.revision > revision && matches(request, change))
          sink.write(eventLine(change));
      }
    }
    const timers: NodeJS.Timeout[] = [];
    const watch: OpenWatch = {
      request,
      sink,
      close: () => {
        if (!this.open.delete(watch)) return;
        timers.forEach(clearTimeout);
        timers.forEach(clearInterval);
        sink.end();
      },
    };
    this.open.add(watch);
    if (request.allowBookmarks) {
      const bookmark = setInterval(
        () => sink.write(bookmarkLine(request.type, this.revision)),
        BOOKMARK_INTERVAL_MS,
      );
      bookmark.unref();
      timers.push(bookmark);
    }
    if (request.timeoutSeconds && request.timeoutSeconds > 0) {
      const timeout = setTimeout(watch.close, request.timeoutSeconds * 1000);
      timeout.unref();
      timers.push(timeout);
    }
    return watch.close;
  }
}

function matches(request: WatchRequest, change: StoreChange): boolean {
  return (
    change.resourceType === request.type &&
    (request.namespace === undefined ||
      change.object.metadata.namespace === request.namespace) &&
    matchesLabelSelector(change.object.metadata.labels, request.requirements)
  );
}

function eventLine(change: StoreChange): string {
  return `${JSON.stringify({ type: change.type, object: change.object })}\n`;
}

function bookmarkLine(type: ResourceType, revision: number): string {
  return `${JSON.stringify({
    type: 'BOOKMARK',
    object: {
      apiVersion: apiVersionOf(type),
      kind: type.kind,
      metadata: { resourceVersion: String(revision) },
    },
  })}\n`;
}

function goneLine(requested: string, compactedAt: number): string {
  return `${JSON.stringify({
    type: 'ERROR',
    object: {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: `too old resource version: ${requested} (${compactedAt})`,
      reason: 'Expired',
      code: 410,
    },
  })}\n`;
}
