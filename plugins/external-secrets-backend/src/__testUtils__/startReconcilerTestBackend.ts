import {
  mockServices,
  ServiceMock,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  BackstageCredentials,
  createServiceFactory,
  PermissionsService,
  SchedulerService,
  SchedulerServiceTaskFunction,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { JsonObject } from '@backstage/types';
import { Knex } from 'knex';
import { externalSecretsPlugin } from '../plugin';
import { KubernetesSimulator } from '../testUtils/kubernetes';

export type ReconcilerTestBackend = {
  server: Awaited<ReturnType<typeof startTestBackend>>['server'];
  /** Runs one reconcile cycle to completion, as the scheduler would. */
  runCycle(): Promise<void>;
  /**
   * Starts one run of the cluster's task in the background (with watches on,
   * it holds the cluster and serves watch events); `stop` aborts it as the
   * scheduler's timeout would and waits for it to end.
   */
  startRun(): { stop(): Promise<void> };
  scheduler: ServiceMock<SchedulerService>;
  auditor: ServiceMock<import('@backstage/backend-plugin-api').AuditorService>;
  stop(): Promise<void>;
};

/**
 * Boots the real plugin on a test backend, wired to a Kubernetes simulator and
 * the fake provider, with the scheduler captured so a test runs cycles itself.
 */
export async function startReconcilerTestBackend(options: {
  sim: KubernetesSimulator;
  entities: Entity[];
  config?: JsonObject;
  /** Overrides of the simulated cluster's entry (mode, esoFree, ...). */
  cluster?: JsonObject;
  knex?: Knex;
  permission?: AuthorizeResult.ALLOW | AuthorizeResult.DENY;
  /** A permissions mock deciding per request; replaces `permission`. */
  permissions?: ServiceMock<PermissionsService>;
  /**
   * Entity refs the catalog hides from user credentials (as a catalog
   * permission policy would), while the plugin's own service credentials
   * still see them.
   */
  hiddenFromUsers?: string[];
  /** Validate API responses against the OpenAPI document. Default true. */
  validateResponses?: boolean;
  extraFeatures?: Parameters<typeof startTestBackend>[0]['features'];
  /** `externalSecrets.providers.fake.enabled`. Default true (tests use fake stores). */
  fakeProvider?: boolean;
}): Promise<ReconcilerTestBackend> {
  let task: SchedulerServiceTaskFunction | undefined;
  const scheduler = mockServices.scheduler.mock({
    async scheduleTask(definition) {
      task = definition.fn;
    },
  });
  const auditor = mockServices.auditor.mock({
    createEvent: jest.fn(async () => ({
      success: jest.fn(async () => {}),
      fail: jest.fn(async () => {}),
    })),
  });
  const { sim } = options;
  const backend = await startTestBackend({
    features: [
      externalSecretsPlugin,
      scheduler.factory,
      auditor.factory,
      catalogFactory(options.entities, options.hiddenFromUsers ?? []),
      options.permissions?.factory ??
        mockServices.permissions.factory({
          result: options.permission ?? AuthorizeResult.ALLOW,
        }),
      ...(options.knex
        ? [mockServices.database.factory({ knex: options.knex })]
        : []),
      mockServices.rootConfig.factory({
        data: {
          externalSecrets: {
            clusters: [
              {
                name: 'test',
                url: sim.url,
                serviceAccountToken: sim.token,
                mode: 'reconcile',
                esoFree: true,
                ...options.cluster,
              },
            ],
            api: { validateResponses: options.validateResponses ?? true },
            // runCycle() runs one cycle; a held run would wait out `frequency`.
            watch: { enabled: false },
            ...options.config,
            providers: {
              fake: { enabled: options.fakeProvider ?? true },
              ...(options.config?.providers as JsonObject | undefined),
            },
          },
        },
      }),
      ...(options.extraFeatures ?? []),
    ],
  });
  return {
    server: backend.server,
    scheduler,
    auditor,
    async runCycle() {
      if (!task) throw new Error('the reconcile task was not scheduled');
      await task(new AbortController().signal);
    },
    startRun() {
      if (!task) throw new Error('the reconcile task was not scheduled');
      const controller = new AbortController();
      const running = Promise.resolve(task(controller.signal));
      return {
        stop: async () => {
          controller.abort();
          await running;
        },
      };
    },
    stop: () => backend.stop(),
  };
}

/** The in-memory catalog, answering "not found" to users for hidden entities. */
function catalogFactory(entities: Entity[], hiddenFromUsers: string[]) {
  const catalog = catalogServiceMock({ entities });
  const hidden = new Set(hiddenFromUsers);
  const getEntityByRef = catalog.getEntityByRef.bind(catalog);
  catalog.getEntityByRef = async (ref, requestOptions) => {
    const entity = await getEntityByRef(ref, requestOptions);
    const credentials = (
      requestOptions as { credentials?: BackstageCredentials } | undefined
    )?.credentials;
    const principal = credentials?.principal as { type?: string } | undefined;
    if (
      entity &&
      principal?.type === 'user' &&
      hidden.has(stringifyEntityRef(entity))
    ) {
      return undefined;
    }
    return entity;
  };
  return createServiceFactory({
    service: catalogServiceRef,
    deps: {},
    factory: () => catalog,
  });
}
