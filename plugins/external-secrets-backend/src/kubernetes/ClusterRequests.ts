import {
  ESO_API_VERSION,
  ESO_GROUP,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import { ClusterError, ClusterVerb } from './ClusterError';
import { KeepAliveAgents } from './KeepAliveAgents';
import { requestOptions } from './requestOptions';
import { TimeoutSignals } from './timeoutSignal';
import {
  ClusterRequest,
  requestDetails,
  toClusterError,
} from './toClusterError';

/** What a request addresses: enough to build its path and describe it in errors. */
export type Target = {
  verb: ClusterVerb;
  group: string;
  resource: string;
  namespace?: string;
  name?: string;
  accept?: string;
  contentType?: string;
};

type ObjectList<T> = {
  items?: T[];
  metadata?: {
    _continue?: string;
    continue?: string;
    resourceVersion?: string;
  };
};

export type RequestOptions = ReturnType<typeof requestOptions>;

export const ESO_VERSION = ESO_API_VERSION.split('/')[1];

/**
 * The name every write carries (`fieldManager`), so `metadata.managedFields`
 * and the apiserver's audit log say who wrote a field, not the HTTP library.
 */
export const FIELD_MANAGER = 'backstage-external-secrets';

export function secretTarget(
  verb: ClusterVerb,
  namespace: string,
  name?: string,
): Target {
  return coreTarget(verb, 'secrets', namespace, name);
}

export function coreTarget(
  verb: ClusterVerb,
  resource: string,
  namespace?: string,
  name?: string,
): Target {
  return { verb, group: '', resource, namespace, name };
}

export function esoTarget(
  verb: ClusterVerb,
  resource: string,
  namespace?: string,
  name?: string,
): Target {
  return { verb, group: ESO_GROUP, resource, namespace, name };
}

function apiPath(target: Target): string {
  const base = target.group
    ? `/apis/${target.group}/${target.group === ESO_GROUP ? ESO_VERSION : 'v1'}`
    : '/api/v1';
  const [plural, subresource] = target.resource.split('/');
  const parts = [base];
  if (target.namespace !== undefined && plural !== 'namespaces') {
    parts.push('namespaces', encodeURIComponent(target.namespace));
  }
  parts.push(plural);
  if (target.name !== undefined) parts.push(encodeURIComponent(target.name));
  if (subresource) parts.push(subresource);
  return parts.join('/');
}

function continueToken(list: ObjectList<unknown>): string | undefined {
  return list.metadata?._continue ?? list.metadata?.continue ?? undefined;
}

/**
 * Request plumbing shared by a cluster's reads and writes: per-request timeout
 * and headers (see requestOptions.ts), pooled connections, paging, and every
 * failure turned into a ClusterError that names the cluster and the request.
 */
export class ClusterRequests {
  readonly clusterName: string;
  readonly timeoutMs: number;
  readonly pageSize: number;
  private readonly agents: KeepAliveAgents;
  private readonly signals = new TimeoutSignals();

  constructor(options: {
    clusterName: string;
    timeoutMs: number;
    pageSize: number;
    /** Pooled connections, so requests in flight at once; default DEFAULT_MAX_SOCKETS. */
    maxConnections?: number;
  }) {
    this.agents = new KeepAliveAgents(options.maxConnections);
    this.clusterName = options.clusterName;
    this.timeoutMs = options.timeoutMs;
    this.pageSize = options.pageSize;
  }

  /** Closes pooled idle connections (backend shutdown). */
  close(): void {
    this.agents.destroy();
  }

  /** Follows `continue` tokens until the list is complete. */
  async paged<T>(
    target: Target,
    fetchPage: (
      opts: RequestOptions,
      continueFrom: string | undefined,
    ) => Promise<ObjectList<T>>,
  ): Promise<T[]> {
    return (await this.pagedWithVersion(target, fetchPage)).items;
  }

  /**
   * Like paged(), with the list's resourceVersion (the first page's: a
   * `continue` token keeps serving that snapshot), where a watch starts.
   */
  async pagedWithVersion<T>(
    target: Target,
    fetchPage: (
      opts: RequestOptions,
      continueFrom: string | undefined,
    ) => Promise<ObjectList<T>>,
  ): Promise<{ items: T[]; resourceVersion: string }> {
    const items: T[] = [];
    let token: string | undefined;
    let resourceVersion = '';
    do {
      const from = token;
      const page = await this.call(target, opts => fetchPage(opts, from));
      items.push(...(page.items ?? []));
      resourceVersion ||= page.metadata?.resourceVersion ?? '';
      token = continueToken(page);
    } while (token);
    return { items, resourceVersion };
  }

  /** Like call(), but a 404 resolves to undefined. */
  async optional<T>(
    target: Target,
    send: (opts: RequestOptions) => Promise<T>,
  ): Promise<T | undefined> {
    try {
      return await this.call(target, send);
    } catch (error) {
      if (error instanceof ClusterError && error.errorType === 'NOT_FOUND') {
        return undefined;
      }
      throw error;
    }
  }

  async call<T>(
    target: Target,
    send: (opts: RequestOptions) => Promise<T>,
  ): Promise<T> {
    const options = requestOptions({
      timeoutMs: this.timeoutMs,
      agents: this.agents,
      signals: this.signals,
      accept: target.accept,
      contentType: target.contentType,
    });
    try {
      return await send(options);
    } catch (error) {
      throw toClusterError(error, this.describe(target));
    }
  }

  describe(target: Target): ClusterRequest {
    return {
      cluster: this.clusterName,
      verb: target.verb,
      group: target.group,
      resource: target.resource,
      ...(target.namespace !== undefined && { namespace: target.namespace }),
      ...(target.name !== undefined && { name: target.name }),
      path: apiPath(target),
      timeoutMs: this.timeoutMs,
    };
  }

  /** A missing object, or a missing key next to the names (never values) of the present ones. */
  missing(
    target: Target,
    kind: 'Secret' | 'ConfigMap',
    key?: string,
    presentKeys: string[] = [],
  ): ClusterError {
    const object = `${kind} "${target.name}" in namespace "${target.namespace}"`;
    const problem =
      key === undefined
        ? 'does not exist'
        : `has no key "${key}" (keys: ${
            presentKeys.sort().join(', ') || 'none'
          })`;
    return new ClusterError(
      'NOT_FOUND',
      `Cluster '${this.clusterName}': ${object} ${problem}.`,
      { ...requestDetails(this.describe(target)), httpStatus: 404 },
    );
  }

  /** An error for a request refused before it was sent. */
  invalid(target: Target, message: string): ClusterError {
    return new ClusterError(
      'INVALID',
      `Cluster '${this.clusterName}': ${message}`,
      requestDetails(this.describe(target)),
    );
  }
}
