/**
 * The simulator's object storage with the apiserver's write semantics:
 * one global resourceVersion counter (etcd's revision), optimistic concurrency
 * (409 on a stale resourceVersion), server-owned metadata (uid,
 * creationTimestamp, generation), no-op writes that keep the resourceVersion,
 * `metadata.generation` bumped on spec changes of custom resources, and the
 * `status` subresource split (main writes keep status, status writes change
 * only status).
 */
import { randomUUID } from 'node:crypto';
import {
  alreadyExists,
  ApiStatusError,
  badRequest,
  conflict,
  invalid,
  notFound,
} from './apiStatus';
import { jsonEqual } from './jsonEqual';
import {
  LabelRequirement,
  matchesLabelSelector,
} from '../../kubernetes/labelSelector';
import { applyMergePatch } from './mergePatch';
import {
  apiVersionOf,
  RESOURCE_TYPES,
  resourceTypeByKind,
  ResourceType,
} from './resources';
import { normalizeSecret, validateObject } from './validateObject';
import { StoreChange } from './WatchHub';

/** Object metadata as the simulator stores it. @public */
export type StoredMetadata = {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: unknown[];
  [field: string]: unknown;
};

/** Any object the simulator stores. @public */
export type StoredObject = {
  apiVersion?: string;
  kind?: string;
  metadata: StoredMetadata;
  [field: string]: unknown;
};

type WriteOptions = { subresource?: 'status' };

const NAMESPACE_TYPE = resourceTypeByKind('Namespace')!;

function now(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Everything but metadata and status: what `metadata.generation` tracks. */
function specOf(object: StoredObject): Record<string, unknown> {
  const {
    metadata: _m,
    status: _s,
    apiVersion: _a,
    kind: _k,
    ...spec
  } = object;
  return spec;
}

function withoutResourceVersion(object: StoredObject): StoredObject {
  const { resourceVersion: _rv, ...metadata } = object.metadata;
  return { ...object, metadata };
}

function asObject(body: unknown): StoredObject {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw badRequest('the request body must be a JSON object');
  }
  const object = body as StoredObject;
  if (typeof object.metadata !== 'object' || object.metadata === null) {
    return { ...object, metadata: {} as StoredMetadata };
  }
  return structuredClone(object);
}

/** @internal */
export class SimulatorStore {
  private readonly objects = new Map<string, StoredObject>();
  private revision = 0;

  /** @param onChange - sees every stored change (the watch). */
  constructor(
    private readonly onChange: (change: StoreChange) => void = () => undefined,
  ) {}

  /** The current global resourceVersion. */
  get resourceVersion(): string {
    return String(this.revision);
  }

  list(
    type: ResourceType,
    namespace: string | undefined,
    requirements: LabelRequirement[] = [],
  ): StoredObject[] {
    return [...this.objects.values()]
      .filter(o => o.kind === type.kind)
      .filter(
        o => namespace === undefined || o.metadata.namespace === namespace,
      )
      .filter(o => matchesLabelSelector(o.metadata.labels, requirements))
      .sort((a, b) => (this.key(type, a) < this.key(type, b) ? -1 : 1))
      .map(o => structuredClone(o));
  }

  find(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
  ): StoredObject | undefined {
    const stored = this.objects.get(this.keyOf(type, namespace, name));
    return stored && structuredClone(stored);
  }

  get(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
  ): StoredObject {
    const found = this.find(type, namespace, name);
    if (!found) throw notFound(type, name);
    return found;
  }

  create(
    type: ResourceType,
    namespace: string | undefined,
    body: unknown,
  ): StoredObject {
    let object = this.checkIdentity(type, namespace, asObject(body));
    if (object.metadata.resourceVersion) {
      // The apiserver's storage layer refuses this with a plain (500) error.
      throw new ApiStatusError({
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message:
          'Internal error occurred: resourceVersion should not be set on objects to be created',
        reason: 'InternalError',
        code: 500,
      });
    }
    if (
      namespace !== undefined &&
      !this.find(NAMESPACE_TYPE, undefined, namespace)
    ) {
      throw notFound(NAMESPACE_TYPE, namespace);
    }
    if (type.kind === 'Secret') object = normalizeSecret(object);
    if (type.custom) delete object.status;
    this.assertValid(type, object);
    if (this.find(type, namespace, object.metadata.name)) {
      throw alreadyExists(type, object.metadata.name);
    }
    return this.insert(type, object);
  }

  update(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    body: unknown,
    options: WriteOptions = {},
  ): StoredObject {
    const previous = this.get(type, namespace, name);
    const object = this.checkIdentity(type, namespace, asObject(body), name);
    const expected = object.metadata.resourceVersion;
    if (!expected && type.custom) {
      throw invalid(type, name, [
        {
          reason: 'FieldValueInvalid',
          message: 'Invalid value: 0x0: must be specified for an update',
          field: 'metadata.resourceVersion',
        },
      ]);
    }
    if (expected && expected !== previous.metadata.resourceVersion) {
      throw conflict(type, name);
    }
    return this.write(type, previous, object, options);
  }

  patch(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    patch: unknown,
    options: WriteOptions = {},
  ): StoredObject {
    const previous = this.get(type, namespace, name);
    const patched = applyMergePatch(previous, patch) as StoredObject;
    const object = this.checkIdentity(type, namespace, asObject(patched), name);
    if (object.metadata.resourceVersion !== previous.metadata.resourceVersion) {
      throw conflict(type, name);
    }
    return this.write(type, previous, object, options);
  }

  delete(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    preconditions: { resourceVersion?: string; uid?: string } = {},
  ): StoredObject {
    const previous = this.get(type, namespace, name);
    const { resourceVersion, uid } = preconditions;
    if (
      resourceVersion &&
      resourceVersion !== previous.metadata.resourceVersion
    ) {
      throw conflict(
        type,
        name,
        `Precondition failed: ResourceVersion in precondition: ${resourceVersion}, ResourceVersion in object meta: ${previous.metadata.resourceVersion}`,
      );
    }
    if (uid && uid !== previous.metadata.uid) {
      throw conflict(
        type,
        name,
        `Precondition failed: UID in precondition: ${uid}, UID in object meta: ${previous.metadata.uid}`,
      );
    }
    this.objects.delete(this.keyOf(type, namespace, name));
    this.revision += 1;
    this.emitDeleted(type, previous);
    if (type.kind === 'Namespace') this.deleteNamespaceContents(name);
    return previous;
  }

  /**
   * Stores an object directly, as if a controller had written it: no auth, no
   * create/update distinction, status kept as given, namespace created on demand.
   */
  seed(input: StoredObject): StoredObject {
    const type = resourceTypeByKind(String(input.kind));
    if (!type) {
      throw new Error(
        `The Kubernetes simulator does not store kind '${
          input.kind
        }'; it stores ${RESOURCE_TYPES.map(t => t.kind).join(', ')}`,
      );
    }
    let object = asObject(input);
    const namespace = type.namespaced
      ? object.metadata.namespace ?? 'default'
      : undefined;
    object = this.checkIdentity(type, namespace, object);
    if (namespace && !this.find(NAMESPACE_TYPE, undefined, namespace)) {
      this.insert(NAMESPACE_TYPE, {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: namespace },
      });
    }
    if (type.kind === 'Secret') object = normalizeSecret(object);
    this.assertValid(type, object);
    const previous = this.find(type, namespace, object.metadata.name);
    if (!previous) return this.insert(type, object);
    return this.store(type, previous, {
      ...object,
      metadata: { ...object.metadata, resourceVersion: undefined },
    });
  }

  reset(): void {
    this.objects.clear();
  }

  private write(
    type: ResourceType,
    previous: StoredObject,
    body: StoredObject,
    options: WriteOptions,
  ): StoredObject {
    let object = body;
    if (options.subresource === 'status') {
      object = { ...previous, status: body.status };
      if (body.status === undefined) delete object.status;
    } else if (type.custom) {
      object = { ...body, status: previous.status };
      if (previous.status === undefined) delete object.status;
    }
    if (type.kind === 'Secret') object = normalizeSecret(object);
    this.assertValid(type, object, previous);
    return this.store(type, previous, object);
  }

  /** Keeps server-owned metadata, bumps generation on spec change, skips no-op writes. */
  private store(
    type: ResourceType,
    previous: StoredObject,
    object: StoredObject,
  ): StoredObject {
    const specChanged = !jsonEqual(specOf(previous), specOf(object));
    const next: StoredObject = {
      ...object,
      apiVersion: apiVersionOf(type),
      kind: type.kind,
      metadata: {
        ...object.metadata,
        uid: previous.metadata.uid,
        creationTimestamp: previous.metadata.creationTimestamp,
        resourceVersion: previous.metadata.resourceVersion,
        ...(type.custom && {
          generation:
            (previous.metadata.generation ?? 1) + (specChanged ? 1 : 0),
        }),
      },
    };
    if (
      jsonEqual(withoutResourceVersion(next), withoutResourceVersion(previous))
    ) {
      return previous;
    }
    this.revision += 1;
    next.metadata.resourceVersion = String(this.revision);
    this.objects.set(this.key(type, next), next);
    this.emit('MODIFIED', type, next);
    return structuredClone(next);
  }

  private insert(type: ResourceType, object: StoredObject): StoredObject {
    this.revision += 1;
    const metadata: StoredMetadata = {
      ...object.metadata,
      uid: randomUUID(),
      creationTimestamp: now(),
      resourceVersion: String(this.revision),
    };
    if (type.custom) metadata.generation = object.metadata.generation ?? 1;
    if (type.kind === 'Namespace') {
      metadata.labels = {
        ...metadata.labels,
        'kubernetes.io/metadata.name': metadata.name,
      };
    }
    const stored: StoredObject = {
      ...object,
      apiVersion: apiVersionOf(type),
      kind: type.kind,
      metadata,
      ...(type.kind === 'Namespace' && {
        spec: { finalizers: ['kubernetes'] },
        status: { phase: 'Active' },
      }),
    };
    this.objects.set(this.key(type, stored), stored);
    this.emit('ADDED', type, stored);
    return structuredClone(stored);
  }

  /** apiVersion/kind/namespace/name in the body must agree with the request, as the apiserver checks. */
  private checkIdentity(
    type: ResourceType,
    namespace: string | undefined,
    object: StoredObject,
    urlName?: string,
  ): StoredObject {
    const apiVersion = apiVersionOf(type);
    if (object.apiVersion !== undefined && object.apiVersion !== apiVersion) {
      throw badRequest(
        `the API version in the data (${object.apiVersion}) does not match the expected API version (${apiVersion})`,
      );
    }
    if (object.kind !== undefined && object.kind !== type.kind) {
      throw badRequest(
        `the kind in the data (${object.kind}) does not match the expected kind (${type.kind})`,
      );
    }
    const bodyNamespace = object.metadata.namespace;
    if (type.namespaced && bodyNamespace && bodyNamespace !== namespace) {
      throw badRequest(
        'the namespace of the provided object does not match the namespace sent on the request',
      );
    }
    if (urlName !== undefined && object.metadata.name !== urlName) {
      throw badRequest(
        `the name of the object (${object.metadata.name}) does not match the name on the URL (${urlName})`,
      );
    }
    const metadata = { ...object.metadata };
    if (type.namespaced) metadata.namespace = namespace;
    else delete metadata.namespace;
    return { ...object, apiVersion, kind: type.kind, metadata };
  }

  private assertValid(
    type: ResourceType,
    object: StoredObject,
    previous?: StoredObject,
  ): void {
    const causes = validateObject(type, object, previous);
    if (causes.length > 0) {
      throw invalid(type, String(object.metadata.name ?? ''), causes);
    }
  }

  private deleteNamespaceContents(namespace: string): void {
    for (const [key, object] of this.objects) {
      if (object.metadata.namespace !== namespace) continue;
      this.objects.delete(key);
      const type = resourceTypeByKind(String(object.kind));
      if (type) this.emitDeleted(type, object);
    }
  }

  private emit(
    type: StoreChange['type'],
    resourceType: ResourceType,
    object: StoredObject,
  ): void {
    this.onChange({
      type,
      resourceType,
      object: structuredClone(object),
      revision: this.revision,
    });
  }

  /** A deleted object is sent at the deletion's resourceVersion, as the apiserver does. */
  private emitDeleted(type: ResourceType, previous: StoredObject): void {
    this.emit('DELETED', type, {
      ...previous,
      metadata: {
        ...previous.metadata,
        resourceVersion: String(this.revision),
      },
    });
  }

  private key(type: ResourceType, object: StoredObject): string {
    return this.keyOf(type, object.metadata.namespace, object.metadata.name);
  }

  private keyOf(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
  ): string {
    return `${type.plural}/${namespace ?? ''}/${name}`;
  }
}
