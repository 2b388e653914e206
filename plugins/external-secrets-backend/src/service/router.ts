import {
  AuditorService,
  HttpAuthService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  CompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  EntityEventsResponse,
  EntityStatusResponse,
  externalSecretsEntityReadPermission,
  externalSecretsEntityRestartPermission,
  externalSecretsEntitySyncPermission,
  externalSecretsOverviewReadPermission,
  externalSecretsStoresReadPermission,
  OverviewResponse,
  SetupDto,
  RestartRequest,
  StoresResponse,
  SyncResponse,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import express from 'express';
import { statusETag } from './statusETag';
import { QueryBatcher } from './QueryBatcher';
import { StatusAnswerCache } from './StatusAnswerCache';
import { StatusStore } from '../database/StatusStore';
import { createOpenApiRouter } from '../schema/openapi';
import { EntityAccess } from './EntityAccess';
import { StoreAddress } from './KnownStores';
import { StoreKeyLister } from './StoreKeyLister';
import { KeyListingRateLimitedError, StoreKeysGate } from './StoreKeysGate';
import { callerOf } from './callerOf';
import { withoutStackTraces } from './withoutStackTraces';
import {
  SyncRateLimitedError,
  SyncRequester,
  SyncTarget,
} from './SyncRequester';
import {
  RestartRateLimitedError,
  RestartRequester,
} from '../rollout/RestartRequester';
import { eventToDto, externalSecretToDto, storeToDto } from './toDto';

const DEFAULT_EVENTS_LIMIT = 20;
const MAX_BODY_KB = 16;
const OVERVIEW_FAILING_LIMIT = 50;
/** Entities whose last status answer is kept (a few kB each). */
const STATUS_ANSWERS_KEPT = 2000;
/** Path segment for an empty cluster or namespace in store paths. */
const NONE = '-';

export type RouterOptions = {
  httpAuth: HttpAuthService;
  auditor: AuditorService;
  access: EntityAccess;
  statusStore: StatusStore;
  syncRequester: SyncRequester;
  /** "Restart now" of a workload reading a synced Secret. */
  restartRequester: RestartRequester;
  /** Lists a store's remote key names (`GET /stores/.../keys`). */
  storeKeys: StoreKeyLister;
  /** Per-store permission and per-user rate limit of the key listing. */
  storeKeysGate: StoreKeysGate;
  /** Readiness probe: throws when the plugin is not ready. */
  checkHealth: () => Promise<void>;
  /** Usable clusters and playground, sent with statuses so an empty one can say why. */
  setup: () => SetupDto;
  /** Where the stack of an unexpected error goes: answers never carry one. */
  errorHandling: { logger: LoggerService };
  /** Validate responses against the OpenAPI document too (tests turn it on). */
  validateResponses?: boolean;
};

/**
 * The generated server types (`src/schema/openapi/generated`) read
 * `format: date-time` as `Date`; in JSON, and in the common DTOs the frontend
 * reads, it is an ISO string, which the response validator checks against
 * `openapi.yaml`. This is the one place where the two meet.
 */
function jsonBodyOf<T>(dto: T): never {
  return dto as never;
}

/** Routes only parse, authorize and map: the work lives in the services. */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth, auditor, access, statusStore, syncRequester } = options;
  // Concurrent status requests share their database queries (each request is
  // authorized on its own first; answers go only to the entity's callers).
  const statusVersions = new QueryBatcher(refs =>
    statusStore.entityStatusVersions(refs),
  );
  const statusSnapshots = new QueryBatcher(refs =>
    statusStore.readEntityStatuses(refs),
  );
  const statusAnswers = new StatusAnswerCache(STATUS_ANSWERS_KEPT);
  const router = await createOpenApiRouter({
    validatorOptions: { validateResponses: options.validateResponses ?? false },
    middleware: [jsonBody()],
  });

  router.get('/health', async (_req, res) => {
    await options.checkHealth();
    res.json({ status: 'ok' });
  });

  router.get('/entities/:kind/:namespace/:name/status', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    const entity = await access.authorizeEntity(
      entityRefFromPath(req.params),
      externalSecretsEntityReadPermission,
      credentials,
    );
    const entityRef = stringifyEntityRef(entity);
    const setup = options.setup();
    // Polling clients revalidate (the browser does it for them with
    // no-cache); an unchanged status costs a share of a version query and
    // a 304, or the answer kept for that version.
    res.setHeader('Cache-Control', 'private, no-cache');
    const version = await statusVersions.load(entityRef);
    res.setHeader('ETag', statusETag(version, setup));
    if (req.fresh) {
      res.status(304).end();
      return;
    }
    let externalSecrets = statusAnswers.get(entityRef, version);
    if (!externalSecrets) {
      const snapshot = await statusSnapshots.load(entityRef);
      externalSecrets = snapshot.records.map(externalSecretToDto);
      statusAnswers.set(entityRef, snapshot.version, externalSecrets);
      // The rows may have changed since the version query: the ETag is the body's.
      res.setHeader('ETag', statusETag(snapshot.version, setup));
    }
    const body: EntityStatusResponse = { entityRef, externalSecrets, setup };
    res.json(jsonBodyOf(body));
  });

  router.get('/entities/:kind/:namespace/:name/events', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    const entity = await access.authorizeEntity(
      entityRefFromPath(req.params),
      externalSecretsEntityReadPermission,
      credentials,
    );
    const entityRef = stringifyEntityRef(entity);
    const limit = Number(req.query.limit ?? DEFAULT_EVENTS_LIMIT);
    const events = await statusStore.listEvents(entityRef, limit);
    const body: EntityEventsResponse = {
      entityRef,
      events: events.map(eventToDto),
    };
    res.json(jsonBodyOf(body));
  });

  router.post('/entities/:kind/:namespace/:name/sync', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    const ref = entityRefFromPath(req.params);
    const target: SyncTarget = req.body ?? {};
    const auditorEvent = await auditor.createEvent({
      eventId: 'sync-now',
      severityLevel: 'medium',
      request: req,
      meta: { entityRef: stringifyEntityRef(ref), target: { ...target } },
    });
    try {
      const entity = await access.authorizeEntity(
        ref,
        externalSecretsEntitySyncPermission,
        credentials,
      );
      const requested = await syncRequester.requestSync({
        entityRef: stringifyEntityRef(entity),
        requester: callerOf(credentials),
        target,
      });
      await auditorEvent.success({ meta: { requested } });
      const body: SyncResponse = { requested };
      res.status(202).json(body);
    } catch (error) {
      await auditorEvent.fail({ error: error as Error });
      if (error instanceof SyncRateLimitedError) {
        res.setHeader('Retry-After', String(error.retryAfterSeconds));
      }
      throw error;
    }
  });

  router.post('/entities/:kind/:namespace/:name/restart', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    const ref = entityRefFromPath(req.params);
    const target = req.body as RestartRequest;
    const auditorEvent = await auditor.createEvent({
      eventId: 'restart-now',
      severityLevel: 'medium',
      request: req,
      meta: { entityRef: stringifyEntityRef(ref), target: { ...target } },
    });
    try {
      const entity = await access.authorizeEntity(
        ref,
        externalSecretsEntityRestartPermission,
        credentials,
      );
      const body = await options.restartRequester.restart(
        stringifyEntityRef(entity),
        target,
      );
      await auditorEvent.success({ meta: { restartedAt: body.restartedAt } });
      res.status(202).json(jsonBodyOf(body));
    } catch (error) {
      await auditorEvent.fail({ error: error as Error });
      if (error instanceof RestartRateLimitedError) {
        res.setHeader('Retry-After', String(error.retryAfterSeconds));
      }
      throw error;
    }
  });

  router.get('/stores', async (req, res) => {
    await access.authorizeBasic(
      externalSecretsStoresReadPermission,
      await httpAuth.credentials(req),
    );
    const body: StoresResponse = {
      stores: (await statusStore.listStores()).map(storeToDto),
      setup: options.setup(),
    };
    res.json(jsonBodyOf(body));
  });

  /** The store a keys route addresses, admitted (permission, rate limit) for the caller. */
  async function admittedStore(
    req: { params: Record<string, string> },
    res: { setHeader(name: string, value: string): unknown },
    credentials: Awaited<ReturnType<typeof httpAuth.credentials>>,
  ): Promise<StoreAddress> {
    const { cluster, kind, namespace, name } = req.params;
    // `-` stands for "none": app-config stores have no cluster, ClusterSecretStores no namespace.
    const address = {
      cluster: cluster === NONE ? '' : cluster,
      kind,
      namespace: namespace === NONE ? '' : namespace,
      name,
    };
    try {
      await options.storeKeysGate.admit(address, credentials);
    } catch (error) {
      if (error instanceof KeyListingRateLimitedError) {
        res.setHeader('Retry-After', String(error.retryAfterSeconds));
      }
      throw error;
    }
    return address;
  }

  router.get(
    '/stores/:cluster/:kind/:namespace/:name/keys',
    async (req, res) => {
      const address = await admittedStore(
        req,
        res,
        await httpAuth.credentials(req),
      );
      res.json(await options.storeKeys.listKeyNames(address));
    },
  );

  router.post(
    '/stores/:cluster/:kind/:namespace/:name/keys/check',
    async (req, res) => {
      const address = await admittedStore(
        req,
        res,
        await httpAuth.credentials(req),
      );
      res.json(
        await options.storeKeys.checkKeys(
          address,
          req.body.keys,
          req.body.properties,
        ),
      );
    },
  );

  router.get('/overview', async (req, res) => {
    await access.authorizeBasic(
      externalSecretsOverviewReadPermission,
      await httpAuth.credentials(req),
    );
    const { counts, failing } = await statusStore.overview(
      OVERVIEW_FAILING_LIMIT,
    );
    const body: OverviewResponse = {
      counts,
      failing: failing.map(record => ({
        entityRef: record.entityRef,
        externalSecret: externalSecretToDto(record),
      })),
    };
    res.json(jsonBodyOf(body));
  });

  router.use(withoutStackTraces(options.errorHandling.logger));
  return router;
}

function entityRefFromPath(params: {
  kind: string;
  namespace: string;
  name: string;
}): CompoundEntityRef {
  return {
    kind: params.kind.toLocaleLowerCase('en-US'),
    namespace: params.namespace,
    name: params.name,
  };
}

/**
 * `express.json` with messages that say the BODY is the problem: the parser's
 * own ("Unexpected end of JSON input", "request entity too large") do not.
 * The OpenAPI router answers every middleware error with 400.
 */
function jsonBody(): express.RequestHandler {
  const parse = express.json({ limit: `${MAX_BODY_KB}kb` });
  return (req, res, next) =>
    parse(req, res, (error?: { type?: string; message?: string }) => {
      if (error?.type === 'entity.too.large') {
        next(
          new InputError(
            `request body is larger than the ${MAX_BODY_KB} kB limit`,
          ),
        );
      } else if (error?.type === 'entity.parse.failed') {
        next(
          new InputError(`request body is not valid JSON: ${error.message}`),
        );
      } else {
        next(error as Error | undefined);
      }
    });
}
