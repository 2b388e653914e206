/**
 * The OpenAPI document of `/api/external-secrets`. The router validates
 * requests against it (and responses in tests), and `openapi.yaml` in the package
 * root is this document, kept equal by a test. Every object schema forbids
 * additional properties, so nothing but the documented fields (names,
 * references, versions, timestamps: never a value) can leave the backend.
 */

const isoDate = { type: 'string', format: 'date-time' } as const;
const text = { type: 'string' } as const;

const entityPathParameters = [
  {
    name: 'kind',
    in: 'path',
    required: true,
    schema: { type: 'string', pattern: '^[A-Za-z0-9][-A-Za-z0-9_.]{0,62}$' },
  },
  {
    name: 'namespace',
    in: 'path',
    required: true,
    schema: { type: 'string', pattern: '^[a-z0-9][-a-z0-9_.]{0,62}$' },
  },
  {
    name: 'name',
    in: 'path',
    required: true,
    schema: { type: 'string', pattern: '^[A-Za-z0-9][-A-Za-z0-9_.]{0,62}$' },
  },
] as const;

const errorResponse = {
  description: 'Error',
  content: {
    'application/json': { schema: { $ref: '#/components/schemas/Error' } },
  },
} as const;

export const spec = {
  openapi: '3.1.0',
  info: {
    title: 'external-secrets',
    version: '1',
    description:
      'Sync status of ExternalSecrets per catalog entity, sync-now, stores and an overview. ' +
      'Responses carry key names, references, versions and timestamps, never secret values.',
  },
  servers: [{ url: '/' }],
  components: {
    schemas: {
      Error: {
        type: 'object',
        properties: {
          error: {
            type: 'object',
            properties: { name: text, message: text },
            required: ['name', 'message'],
            additionalProperties: true,
          },
          request: { type: 'object', additionalProperties: true },
          response: { type: 'object', additionalProperties: true },
        },
        required: ['error'],
        additionalProperties: true,
      },
      StoreRef: {
        type: 'object',
        properties: { kind: text, name: text },
        required: ['kind', 'name'],
        additionalProperties: false,
      },
      KeyMapping: {
        type: 'object',
        properties: {
          source: text,
          secretKey: text,
          remoteKey: text,
          property: text,
          store: { $ref: '#/components/schemas/StoreRef' },
          state: {
            type: 'string',
            enum: ['synced', 'error', 'unsupported', 'pending', 'removed'],
          },
          reason: text,
          message: text,
          errorType: text,
          remoteVersion: text,
        },
        required: ['source', 'state'],
        additionalProperties: false,
      },
      ExternalSecretStatus: {
        type: 'object',
        properties: {
          cluster: text,
          namespace: text,
          name: text,
          origin: { type: 'string', enum: ['cluster', 'manifest'] },
          mode: { type: 'string', enum: ['reconcile', 'observe'] },
          store: { $ref: '#/components/schemas/StoreRef' },
          targetSecret: text,
          refreshInterval: text,
          refreshPolicy: text,
          creationPolicy: text,
          deletionPolicy: text,
          state: {
            type: 'string',
            enum: ['Synced', 'Error', 'Pending', 'NotFound', 'Unsupported'],
          },
          reason: text,
          message: text,
          lastAttemptAt: isoDate,
          lastSyncAt: isoDate,
          nextDueAt: isoDate,
          keys: {
            type: 'array',
            items: { $ref: '#/components/schemas/KeyMapping' },
          },
        },
        required: [
          'cluster',
          'namespace',
          'name',
          'origin',
          'mode',
          'targetSecret',
          'state',
          'keys',
        ],
        additionalProperties: false,
      },
      EntityStatus: {
        type: 'object',
        properties: {
          entityRef: text,
          externalSecrets: {
            type: 'array',
            items: { $ref: '#/components/schemas/ExternalSecretStatus' },
          },
        },
        required: ['entityRef', 'externalSecrets'],
        additionalProperties: false,
      },
      SyncEvent: {
        type: 'object',
        properties: {
          cluster: text,
          namespace: text,
          name: text,
          type: text,
          message: text,
          changedKeys: { type: 'array', items: text },
          createdAt: isoDate,
        },
        required: ['cluster', 'namespace', 'name', 'type', 'createdAt'],
        additionalProperties: false,
      },
      EntityEvents: {
        type: 'object',
        properties: {
          entityRef: text,
          events: {
            type: 'array',
            items: { $ref: '#/components/schemas/SyncEvent' },
          },
        },
        required: ['entityRef', 'events'],
        additionalProperties: false,
      },
      SyncRequest: {
        type: 'object',
        properties: {
          cluster: { type: 'string', maxLength: 253 },
          namespace: { type: 'string', maxLength: 63 },
          name: { type: 'string', maxLength: 253 },
        },
        additionalProperties: false,
      },
      SyncResponse: {
        type: 'object',
        properties: {
          requested: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                cluster: text,
                namespace: text,
                name: text,
                how: {
                  type: 'string',
                  enum: ['force-sync-annotation', 'scheduled'],
                },
              },
              required: ['cluster', 'namespace', 'name', 'how'],
              additionalProperties: false,
            },
          },
        },
        required: ['requested'],
        additionalProperties: false,
      },
      StoreStatus: {
        type: 'object',
        properties: {
          cluster: text,
          kind: text,
          namespace: text,
          name: text,
          provider: text,
          origin: { type: 'string', enum: ['config', 'cluster'] },
          ready: { type: 'boolean' },
          reason: text,
          message: text,
          lastValidatedAt: isoDate,
        },
        required: ['cluster', 'kind', 'namespace', 'name', 'origin', 'ready'],
        additionalProperties: false,
      },
      Stores: {
        type: 'object',
        properties: {
          stores: {
            type: 'array',
            items: { $ref: '#/components/schemas/StoreStatus' },
          },
        },
        required: ['stores'],
        additionalProperties: false,
      },
      StoreKeys: {
        type: 'object',
        properties: {
          store: {
            type: 'object',
            properties: {
              cluster: text,
              kind: text,
              namespace: text,
              name: text,
            },
            required: ['cluster', 'kind', 'namespace', 'name'],
            additionalProperties: false,
          },
          keys: { type: 'array', items: text },
          truncated: { type: 'boolean' },
        },
        required: ['store', 'keys', 'truncated'],
        additionalProperties: false,
      },
      Overview: {
        type: 'object',
        properties: {
          counts: {
            type: 'object',
            properties: {
              Synced: { type: 'integer' },
              Error: { type: 'integer' },
              Pending: { type: 'integer' },
              NotFound: { type: 'integer' },
              Unsupported: { type: 'integer' },
            },
            required: ['Synced', 'Error', 'Pending', 'NotFound', 'Unsupported'],
            additionalProperties: false,
          },
          failing: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                entityRef: text,
                externalSecret: {
                  $ref: '#/components/schemas/ExternalSecretStatus',
                },
              },
              required: ['entityRef', 'externalSecret'],
              additionalProperties: false,
            },
          },
        },
        required: ['counts', 'failing'],
        additionalProperties: false,
      },
    },
  },
  paths: {
    '/health': {
      get: {
        operationId: 'Health',
        description:
          'Readiness of the plugin: the database answers and the reconciler is scheduled.',
        responses: {
          '200': {
            description: 'Ready',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: { status: { type: 'string', enum: ['ok'] } },
                  required: ['status'],
                  additionalProperties: false,
                },
              },
            },
          },
          '503': errorResponse,
        },
      },
    },
    '/entities/{kind}/{namespace}/{name}/status': {
      get: {
        operationId: 'GetEntityStatus',
        description: "The entity's ExternalSecrets with per-key sync state.",
        parameters: entityPathParameters,
        responses: {
          '200': {
            description: 'Status',
            content: {
              'application/json': {
                schema: { $ref: '#/components/schemas/EntityStatus' },
              },
            },
          },
          '400': errorResponse,
          '401': errorResponse,
          '403': errorResponse,
          '404': errorResponse,
        },
      },
    },
    '/entities/{kind}/{namespace}/{name}/events': {
      get: {
        operationId: 'GetEntityEvents',
        description: 'Recent sync events of the entity, newest first.',
        parameters: [
          ...entityPathParameters,
          {
            name: 'limit',
            in: 'query',
            required: false,
            schema: { type: 'string', pattern: '^[1-9][0-9]{0,2}$' },
          },
        ],
        responses: {
          '200': {
            description: 'Events',
            content: {
              'application/json': {
                schema: { $ref: '#/components/schemas/EntityEvents' },
              },
            },
          },
          '400': errorResponse,
          '401': errorResponse,
          '403': errorResponse,
          '404': errorResponse,
        },
      },
    },
    '/entities/{kind}/{namespace}/{name}/sync': {
      post: {
        operationId: 'SyncEntity',
        description:
          'Sync now: sets the force-sync annotation on ExternalSecret CRs, or schedules an immediate run for declared manifests.',
        parameters: entityPathParameters,
        requestBody: {
          required: false,
          content: {
            'application/json': {
              schema: { $ref: '#/components/schemas/SyncRequest' },
            },
          },
        },
        responses: {
          '202': {
            description: 'Requested',
            content: {
              'application/json': {
                schema: { $ref: '#/components/schemas/SyncResponse' },
              },
            },
          },
          '400': errorResponse,
          '401': errorResponse,
          '403': errorResponse,
          '404': errorResponse,
          '429': errorResponse,
        },
      },
    },
    '/stores': {
      get: {
        operationId: 'ListStores',
        description:
          'Stores with their Ready state and last validation (admin).',
        responses: {
          '200': {
            description: 'Stores',
            content: {
              'application/json': {
                schema: { $ref: '#/components/schemas/Stores' },
              },
            },
          },
          '401': errorResponse,
          '403': errorResponse,
        },
      },
    },
    '/stores/{cluster}/{kind}/{namespace}/{name}/keys': {
      get: {
        operationId: 'ListStoreKeys',
        description:
          'The remote key NAMES a store can read (never values), sorted and capped; `truncated` says when more exist. ' +
          '`cluster` is `-` for app-config stores and `namespace` is `-` for ClusterSecretStores. ' +
          '403 without external-secrets.stores.keys.read for this store (a resource permission on ' +
          '`external-secrets-store`, resourceRef `<cluster>/<kind>/<namespace>/<name>` as in this path), ' +
          '404 for an unknown store, 409 when the store is not Ready, 429 with Retry-After beyond the per-user ' +
          'and store limit, 503 when the provider cannot be listed now. Names are cached briefly per store scope.',
        parameters: [
          {
            name: 'cluster',
            in: 'path',
            required: true,
            schema: { type: 'string', pattern: '^[-A-Za-z0-9_.]{1,253}$' },
          },
          {
            name: 'kind',
            in: 'path',
            required: true,
            schema: {
              type: 'string',
              enum: ['SecretStore', 'ClusterSecretStore'],
            },
          },
          {
            name: 'namespace',
            in: 'path',
            required: true,
            schema: {
              type: 'string',
              pattern: '^(-|[a-z0-9][-a-z0-9]{0,62})$',
            },
          },
          {
            name: 'name',
            in: 'path',
            required: true,
            schema: {
              type: 'string',
              pattern: '^[a-z0-9][-a-z0-9.]{0,252}$',
            },
          },
        ],
        responses: {
          '200': {
            description: 'Key names',
            content: {
              'application/json': {
                schema: { $ref: '#/components/schemas/StoreKeys' },
              },
            },
          },
          '400': errorResponse,
          '401': errorResponse,
          '403': errorResponse,
          '404': errorResponse,
          '409': errorResponse,
          '429': errorResponse,
          '501': errorResponse,
          '503': errorResponse,
        },
      },
    },
    '/overview': {
      get: {
        operationId: 'GetOverview',
        description:
          'Counts by state across the catalog and the longest-failing mappings (admin).',
        responses: {
          '200': {
            description: 'Overview',
            content: {
              'application/json': {
                schema: { $ref: '#/components/schemas/Overview' },
              },
            },
          },
          '401': errorResponse,
          '403': errorResponse,
        },
      },
    },
  },
} as const;
