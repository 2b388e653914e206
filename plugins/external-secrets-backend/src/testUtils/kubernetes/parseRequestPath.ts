/**
 * Turns an apiserver URL path and HTTP method into the RBAC view of a request
 * (verb, resource, subresource, namespace, name), the way the apiserver's
 * RequestInfoResolver does for the paths the simulator serves.
 */
import { resourceTypeByPath, ResourceType } from './resources';

/** RBAC verbs as the apiserver derives them from method and path. @public */
export type KubernetesVerb =
  | 'get'
  | 'list'
  | 'watch'
  | 'create'
  | 'update'
  | 'patch'
  | 'delete'
  | 'deletecollection';

/** @internal */
export type ParsedRequest = {
  verb: KubernetesVerb;
  type: ResourceType;
  /** `secrets`, or `externalsecrets/status` for the subresource. */
  resource: string;
  subresource?: 'status';
  namespace?: string;
  name?: string;
};

const ITEM_VERBS: Record<string, KubernetesVerb> = {
  GET: 'get',
  PUT: 'update',
  PATCH: 'patch',
  DELETE: 'delete',
};
const COLLECTION_VERBS: Record<string, KubernetesVerb> = {
  GET: 'list',
  POST: 'create',
  DELETE: 'deletecollection',
};

type Location = {
  plural: string;
  namespace?: string;
  name?: string;
  subresource?: string;
};

function locate(segments: string[]): Location | undefined {
  const [first, second, third, fourth, fifth, ...extra] = segments;
  if (extra.length > 0) return undefined;
  if (first === 'namespaces' && third !== undefined) {
    return {
      namespace: second,
      plural: third,
      name: fourth,
      subresource: fifth,
    };
  }
  if (fourth !== undefined) return undefined;
  return { plural: first, name: second, subresource: third };
}

/** Undefined when the path is not one the simulator serves (the apiserver answers 404). @internal */
export function parseRequestPath(
  method: string,
  pathname: string,
  watch: boolean,
): ParsedRequest | undefined {
  const segments = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  let group = '';
  let rest: string[];
  if (segments[0] === 'api') {
    rest = segments.slice(2);
    if (segments[1] !== 'v1') return undefined;
  } else if (segments[0] === 'apis') {
    group = segments[1];
    rest = segments.slice(3);
  } else {
    return undefined;
  }
  const version = segments[0] === 'api' ? 'v1' : segments[2];
  const location = locate(rest);
  if (!location) return undefined;
  const type = resourceTypeByPath(group, version, location.plural);
  if (!type || (location.namespace !== undefined && !type.namespaced)) {
    return undefined;
  }
  if (location.subresource !== undefined) {
    if (location.subresource !== 'status' || !type.custom) return undefined;
  }
  const needsNamespace = type.namespaced && location.namespace === undefined;
  // Namespaced resources are read across namespaces at /api/v1/secrets, but
  // written only under /namespaces/{ns}/.
  if (needsNamespace && (location.name !== undefined || method !== 'GET')) {
    return undefined;
  }
  const verbs = location.name === undefined ? COLLECTION_VERBS : ITEM_VERBS;
  const verb = watch && method === 'GET' ? 'watch' : verbs[method];
  if (!verb) return undefined;
  const subresource = location.subresource as 'status' | undefined;
  return {
    verb,
    type,
    resource: subresource ? `${type.plural}/${subresource}` : type.plural,
    ...(subresource && { subresource }),
    ...(location.namespace !== undefined && { namespace: location.namespace }),
    ...(location.name !== undefined && { name: location.name }),
  };
}
