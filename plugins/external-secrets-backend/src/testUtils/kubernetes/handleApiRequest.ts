/**
 * One apiserver request, transport aside: authentication, fault injection,
 * routing to the store, content negotiation and list pagination. Returns what to
 * send; errors come back as `metav1.Status` bodies.
 */
import {
  ApiStatusError,
  badRequest,
  conflict,
  forbidden,
  injectedFailure,
  KubernetesStatus,
  methodNotAllowed,
  notAcceptable,
  notFound,
  pathNotFound,
  unauthorized,
  unsupportedMediaType,
} from './apiStatus';
import { FaultInjector, SimulatorFault } from './FaultInjector';
import {
  LabelSelectorError,
  parseLabelSelector,
} from '../../kubernetes/labelSelector';
import { negotiateAccept, partialMetadataContentType } from './negotiateAccept';
import { parseRequestPath, ParsedRequest } from './parseRequestPath';
import { apiVersionOf, ResourceType } from './resources';
import { SimulatorStore, StoredObject } from './SimulatorStore';
import { WatchRequest } from './WatchHub';

/** @internal */
export type ApiRequest = {
  method: string;
  url: URL;
  authorization?: string;
  accept?: string;
  contentType?: string;
  body?: string;
};

/** @internal */
export type ApiResponse = {
  status: number;
  contentType: string;
  body: unknown;
  retryAfterSeconds?: number;
  /** A watch: the transport streams its events instead of sending `body`. */
  watch?: WatchRequest;
};

/** @internal */
export type ApiContext = {
  store: SimulatorStore;
  faults: FaultInjector;
  token: string;
  allowAnonymous: boolean;
  user: string;
};

const JSON_TYPE = 'application/json';
const MERGE_PATCH_TYPE = 'application/merge-patch+json';

function statusResponse(status: KubernetesStatus): ApiResponse {
  return {
    status: status.code,
    contentType: JSON_TYPE,
    body: status,
    retryAfterSeconds: status.details?.retryAfterSeconds,
  };
}

function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0].trim().toLowerCase();
}

/** Deliberately generic: a JSON parser's message may quote the body, i.e. secret data. */
function parseBody(body: string | undefined): unknown {
  if (body === undefined || body.trim() === '') return undefined;
  try {
    return JSON.parse(body);
  } catch {
    throw badRequest('the request body is not valid JSON');
  }
}

function faultError(
  fault: SimulatorFault,
  request: ParsedRequest,
  user: string,
): ApiStatusError {
  const status = fault.status!;
  if (status === 403 && fault.message === undefined) {
    return forbidden({
      user,
      verb: request.verb,
      type: request.type,
      subresource: request.subresource,
      namespace: request.namespace,
      name: request.name,
    });
  }
  if (status === 404 && fault.message === undefined && request.name) {
    return notFound(request.type, request.name);
  }
  if (status === 409 && fault.message === undefined && request.name) {
    return conflict(request.type, request.name);
  }
  if (status === 401 && fault.message === undefined) return unauthorized();
  return injectedFailure(status, fault.message, fault.retryAfterSeconds);
}

type Page = {
  items: StoredObject[];
  continueToken?: string;
  remaining: number;
};

function itemKey(object: StoredObject): string {
  return `${object.metadata.namespace ?? ''}/${object.metadata.name}`;
}

/**
 * `limit` + `continue`. The token carries the last key served, so objects
 * written between pages neither repeat nor shift the next page.
 */
function paginate(items: StoredObject[], url: URL): Page {
  const limit = Number(url.searchParams.get('limit') ?? 0);
  const token = url.searchParams.get('continue');
  let rest = items;
  if (token) {
    const after = Buffer.from(token, 'base64url').toString('utf8');
    if (!after.includes('/')) throw badRequest('continue key is not valid');
    rest = items.filter(item => itemKey(item) > after);
  }
  if (!Number.isInteger(limit) || limit <= 0 || rest.length <= limit) {
    return { items: rest, remaining: 0 };
  }
  const page = rest.slice(0, limit);
  return {
    items: page,
    remaining: rest.length - limit,
    continueToken: Buffer.from(itemKey(page[page.length - 1]), 'utf8').toString(
      'base64url',
    ),
  };
}

function metadataOnly(object: StoredObject) {
  return {
    kind: 'PartialObjectMetadata',
    apiVersion: 'meta.k8s.io/v1',
    metadata: object.metadata,
  };
}

/** Built-in lists omit apiVersion/kind on items; custom resource lists keep them. */
function listItem(type: ResourceType, object: StoredObject): StoredObject {
  if (type.custom) return object;
  const { apiVersion: _a, kind: _k, ...rest } = object;
  return rest as StoredObject;
}

function listResponse(
  context: ApiContext,
  request: ParsedRequest,
  url: URL,
  accept: string | undefined,
): ApiResponse {
  const requirements = labelRequirements(url);
  const representation = negotiateAccept(accept, true);
  if (representation === 'unacceptable') {
    throw notAcceptable(
      `only the following media types are accepted: application/json, ${partialMetadataContentType(
        true,
      )}`,
    );
  }
  const all = context.store.list(request.type, request.namespace, requirements);
  const page = paginate(all, url);
  const metadata = {
    resourceVersion: context.store.resourceVersion,
    ...(page.continueToken && {
      continue: page.continueToken,
      remainingItemCount: page.remaining,
    }),
  };
  if (representation === 'metadata') {
    return {
      status: 200,
      contentType: partialMetadataContentType(true),
      body: {
        kind: 'PartialObjectMetadataList',
        apiVersion: 'meta.k8s.io/v1',
        metadata,
        items: page.items.map(metadataOnly),
      },
    };
  }
  return {
    status: 200,
    contentType: JSON_TYPE,
    body: {
      kind: `${request.type.kind}List`,
      apiVersion: apiVersionOf(request.type),
      metadata,
      items: page.items.map(item => listItem(request.type, item)),
    },
  };
}

function watchResponse(request: ParsedRequest, url: URL): ApiResponse {
  const timeout = Number(url.searchParams.get('timeoutSeconds') ?? '');
  return {
    status: 200,
    contentType: JSON_TYPE,
    body: undefined,
    watch: {
      type: request.type,
      namespace: request.namespace,
      requirements: labelRequirements(url),
      resourceVersion: url.searchParams.get('resourceVersion') ?? undefined,
      allowBookmarks: url.searchParams.get('allowWatchBookmarks') === 'true',
      timeoutSeconds:
        Number.isFinite(timeout) && timeout > 0 ? timeout : undefined,
    },
  };
}

function labelRequirements(url: URL) {
  try {
    return parseLabelSelector(url.searchParams.get('labelSelector') ?? '');
  } catch (error) {
    if (error instanceof LabelSelectorError) throw badRequest(error.message);
    throw error;
  }
}

function getResponse(
  context: ApiContext,
  request: ParsedRequest,
  accept: string | undefined,
): ApiResponse {
  const representation = negotiateAccept(accept, false);
  if (representation === 'unacceptable') {
    throw notAcceptable(
      `only the following media types are accepted: application/json, ${partialMetadataContentType(
        false,
      )}`,
    );
  }
  const object = context.store.get(
    request.type,
    request.namespace,
    request.name!,
  );
  if (representation === 'metadata') {
    return {
      status: 200,
      contentType: partialMetadataContentType(false),
      body: metadataOnly(object),
    };
  }
  return { status: 200, contentType: JSON_TYPE, body: object };
}

function deleteResponse(
  context: ApiContext,
  request: ParsedRequest,
  body: unknown,
): ApiResponse {
  const options = (body ?? {}) as {
    preconditions?: { resourceVersion?: string; uid?: string };
  };
  const deleted = context.store.delete(
    request.type,
    request.namespace,
    request.name!,
    options.preconditions,
  );
  return {
    status: 200,
    contentType: JSON_TYPE,
    body: {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Success',
      details: {
        name: deleted.metadata.name,
        ...(request.type.group && { group: request.type.group }),
        kind: request.type.plural,
        uid: deleted.metadata.uid,
      },
    },
  };
}

function requireContentType(actual: string | undefined, expected: string) {
  if (mediaType(actual) !== expected) {
    throw unsupportedMediaType(
      `the body of the request was in an unknown format - accepted media types include: ${expected}`,
    );
  }
}

function dispatch(
  context: ApiContext,
  request: ParsedRequest,
  api: ApiRequest,
): ApiResponse {
  const { store } = context;
  const { type, namespace, name, subresource } = request;
  switch (request.verb) {
    case 'list':
      return listResponse(context, request, api.url, api.accept);
    case 'get':
      return getResponse(context, request, api.accept);
    case 'watch':
      return watchResponse(request, api.url);
    case 'create':
      requireContentType(api.contentType, JSON_TYPE);
      return {
        status: 201,
        contentType: JSON_TYPE,
        body: store.create(type, namespace, parseBody(api.body)),
      };
    case 'update':
      requireContentType(api.contentType, JSON_TYPE);
      return {
        status: 200,
        contentType: JSON_TYPE,
        body: store.update(type, namespace, name!, parseBody(api.body), {
          subresource,
        }),
      };
    case 'patch':
      requireContentType(api.contentType, MERGE_PATCH_TYPE);
      return {
        status: 200,
        contentType: JSON_TYPE,
        body: store.patch(type, namespace, name!, parseBody(api.body), {
          subresource,
        }),
      };
    case 'delete':
      return deleteResponse(context, request, parseBody(api.body));
    default:
      throw methodNotAllowed(
        `the Kubernetes simulator does not support ${request.verb}`,
      );
  }
}

function isAuthenticated(context: ApiContext, authorization?: string) {
  return context.allowAnonymous || authorization === `Bearer ${context.token}`;
}

/** @internal */
export type HandledRequest = {
  parsed?: ParsedRequest;
  fault?: SimulatorFault;
  respond(): ApiResponse;
};

/**
 * Resolves authentication, routing and the matching fault first (so the caller
 * can apply the fault's latency), then `respond()` runs the request.
 *
 * @internal
 */
export function handleApiRequest(
  context: ApiContext,
  api: ApiRequest,
): HandledRequest {
  if (!isAuthenticated(context, api.authorization)) {
    return { respond: () => statusResponse(unauthorized().status) };
  }
  const parsed = parseRequestPath(
    api.method,
    api.url.pathname,
    api.url.searchParams.get('watch') === 'true',
  );
  if (!parsed) {
    return { respond: () => statusResponse(pathNotFound().status) };
  }
  const fault = context.faults.take(parsed);
  const respond = (): ApiResponse => {
    try {
      if (fault?.status !== undefined) {
        throw faultError(fault, parsed, context.user);
      }
      return dispatch(context, parsed, api);
    } catch (error) {
      if (error instanceof ApiStatusError) return statusResponse(error.status);
      throw error;
    }
  };
  return { parsed, fault, respond };
}
