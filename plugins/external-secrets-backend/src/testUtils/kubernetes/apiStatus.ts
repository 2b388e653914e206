/**
 * `metav1.Status` bodies shaped and worded like the apiserver's
 * (k8s.io/apimachinery/pkg/api/errors), so error handling is tested against
 * the texts a real cluster sends.
 */
import { qualifiedResource, ResourceType } from './resources';

/** A `metav1.Status` cause: one field-level problem of a 422. @public */
export type StatusCause = { reason: string; message: string; field: string };

/** The apiserver's `metav1.Status` object. @public */
export type KubernetesStatus = {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Success' | 'Failure';
  message?: string;
  reason?: string;
  details?: {
    name?: string;
    group?: string;
    kind?: string;
    uid?: string;
    causes?: StatusCause[];
    retryAfterSeconds?: number;
  };
  code: number;
};

/** Thrown inside the simulator; the server answers with its `status`. @internal */
export class ApiStatusError extends Error {
  readonly name = 'ApiStatusError';

  constructor(readonly status: KubernetesStatus) {
    super(status.message);
  }
}

function failure(
  code: number,
  reason: string,
  message: string,
  details?: KubernetesStatus['details'],
): ApiStatusError {
  return new ApiStatusError({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    ...(details && { details }),
    code,
  });
}

function resourceDetails(type: ResourceType, name?: string) {
  return {
    ...(name !== undefined && { name }),
    ...(type.group && { group: type.group }),
    kind: type.plural,
  };
}

/** @internal */
export function notFound(type: ResourceType, name: string): ApiStatusError {
  return failure(
    404,
    'NotFound',
    `${qualifiedResource(type)} "${name}" not found`,
    resourceDetails(type, name),
  );
}

/** @internal */
export function alreadyExists(type: ResourceType, name: string) {
  return failure(
    409,
    'AlreadyExists',
    `${qualifiedResource(type)} "${name}" already exists`,
    resourceDetails(type, name),
  );
}

/** @internal */
export function conflict(type: ResourceType, name: string, why?: string) {
  const reason =
    why ??
    'the object has been modified; please apply your changes to the latest version and try again';
  return failure(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${qualifiedResource(
      type,
    )} "${name}": ${reason}`,
    resourceDetails(type, name),
  );
}

/** What an RBAC denial is about. @internal */
export type ForbiddenRequest = {
  user: string;
  verb: string;
  type: ResourceType;
  subresource?: string;
  namespace?: string;
  name?: string;
};

/** Worded like the RBAC authorizer's denial, which names verb, resource, group and scope. @internal */
export function forbidden(request: ForbiddenRequest): ApiStatusError {
  const { user, verb, type, subresource, namespace, name } = request;
  const subject =
    name !== undefined
      ? `${qualifiedResource(type)} "${name}"`
      : qualifiedResource(type);
  const resource = subresource ? `${type.plural}/${subresource}` : type.plural;
  const scope =
    namespace !== undefined
      ? `in the namespace "${namespace}"`
      : 'at the cluster scope';
  return failure(
    403,
    'Forbidden',
    `${subject} is forbidden: User "${user}" cannot ${verb} resource "${resource}" in API group "${type.group}" ${scope}`,
    resourceDetails(type, name),
  );
}

/** 422 with one cause per field, as `errors.NewInvalid` words it. @internal */
export function invalid(
  type: ResourceType,
  name: string,
  causes: StatusCause[],
): ApiStatusError {
  const texts = causes.map(c => `${c.field}: ${c.message}`);
  const joined = texts.length === 1 ? texts[0] : `[${texts.join(', ')}]`;
  return failure(
    422,
    'Invalid',
    `${type.kind} "${name}" is invalid: ${joined}`,
    {
      name,
      ...(type.group && { group: type.group }),
      kind: type.kind,
      causes,
    },
  );
}

/** @internal */
export function badRequest(message: string): ApiStatusError {
  return failure(400, 'BadRequest', message);
}

/** @internal */
export function unauthorized(): ApiStatusError {
  return failure(401, 'Unauthorized', 'Unauthorized');
}

/** @internal */
export function methodNotAllowed(message: string): ApiStatusError {
  return failure(405, 'MethodNotAllowed', message);
}

/** @internal */
export function notAcceptable(message: string): ApiStatusError {
  return failure(406, 'NotAcceptable', message);
}

/** @internal */
export function unsupportedMediaType(message: string): ApiStatusError {
  return failure(415, 'UnsupportedMediaType', message);
}

/** @internal */
export function pathNotFound(): ApiStatusError {
  return failure(
    404,
    'NotFound',
    'the server could not find the requested resource',
  );
}

/** An injected fault for any status code: the apiserver's reason for it, and a plain message. @internal */
export function injectedFailure(
  code: number,
  message: string | undefined,
  retryAfterSeconds?: number,
): ApiStatusError {
  const reasons: Record<number, string> = {
    400: 'BadRequest',
    401: 'Unauthorized',
    404: 'NotFound',
    409: 'Conflict',
    410: 'Expired',
    422: 'Invalid',
    429: 'TooManyRequests',
    500: 'InternalError',
    503: 'ServiceUnavailable',
    504: 'Timeout',
  };
  const reason = reasons[code] ?? 'Unknown';
  const text =
    message ??
    (code === 500
      ? 'Internal error occurred: simulated failure'
      : `simulated ${reason}`);
  return failure(
    code,
    reason,
    text,
    retryAfterSeconds !== undefined ? { retryAfterSeconds } : undefined,
  );
}
