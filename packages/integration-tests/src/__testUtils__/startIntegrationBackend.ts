/**
 * The published External Secrets plugin on Backstage's test backend, composed
 * as an adopter composes it: the plugin's default export plus whatever modules
 * the scenario installs (the Infisical module, a probe provider). Only public
 * entry points are used, so these scenarios prove what the packages export,
 * never their internals (the backend's own `startReconcilerTestBackend` stays
 * private to its unit tests). The scheduler is captured so a test runs each
 * reconcile cycle itself; the catalog is an in-memory index that permits all.
 */
import {
  AuditorService,
  SchedulerServiceTaskFunction,
} from '@backstage/backend-plugin-api';
import {
  mockServices,
  ServiceMock,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { JsonObject } from '@backstage/types';
import externalSecretsPlugin from '@external-secrets-backstage/backstage-plugin-external-secrets-backend';
import { Knex } from 'knex';
import request from 'supertest';

type Features = Parameters<typeof startTestBackend>[0]['features'];

/** One ExternalSecret row of the plugin's status API. */
export type StatusRow = {
  name: string;
  namespace: string;
  state: string;
  reason?: string;
  message?: string;
};

export type IntegrationBackend = {
  server: Awaited<ReturnType<typeof startTestBackend>>['server'];
  /** Runs one reconcile cycle to completion, as the scheduler would. */
  runCycle(): Promise<void>;
  /** The entity's ExternalSecrets as the plugin's REST API reports them. */
  status(entityName: string): Promise<StatusRow[]>;
  scheduler: ServiceMock<
    import('@backstage/backend-plugin-api').SchedulerService
  >;
  stop(): Promise<void>;
};

export async function startIntegrationBackend(options: {
  /** The simulated cluster (`startKubernetesSimulator`) the plugin reconciles. */
  sim?: { url: string; token: string };
  /** Overrides of the cluster entry (a real apiserver's url, token, caData, ...). */
  cluster?: JsonObject;
  entities: Entity[];
  /** More `externalSecrets` config (clusters, stores, security, ...). */
  config?: JsonObject;
  /** The plugin's database; the test backend's in-memory SQLite when absent. */
  knex?: Knex;
  /** Validate API responses against the OpenAPI document. Default true. */
  validateResponses?: boolean;
  /** The modules the scenario installs (the Infisical module, a probe provider). */
  extraFeatures?: Features;
}): Promise<IntegrationBackend> {
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
    })) as unknown as AuditorService['createEvent'],
  });
  const backend = await startTestBackend({
    features: [
      externalSecretsPlugin,
      scheduler.factory,
      auditor.factory,
      catalogServiceMock.factory({ entities: options.entities }),
      mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
      ...(options.knex
        ? [mockServices.database.factory({ knex: options.knex })]
        : []),
      mockServices.rootConfig.factory({
        data: {
          externalSecrets: {
            clusters: [
              {
                name: 'test',
                ...(options.sim && {
                  url: options.sim.url,
                  serviceAccountToken: options.sim.token,
                }),
                mode: 'reconcile',
                esoFree: true,
                ...options.cluster,
              },
            ],
            api: { validateResponses: options.validateResponses ?? true },
            // runCycle() runs one cycle; a held run would wait out `frequency`.
            watch: { enabled: false },
            ...options.config,
          },
        },
      }),
      ...(options.extraFeatures ?? []),
    ],
  });
  return {
    server: backend.server,
    scheduler,
    async runCycle() {
      if (!task) throw new Error('the reconcile task was not scheduled');
      await task(new AbortController().signal);
    },
    async status(entityName) {
      const res = await request(backend.server).get(
        `/api/external-secrets/entities/component/default/${entityName}/status`,
      );
      if (res.status !== 200) {
        throw new Error(`status API answered HTTP ${res.status}: ${res.text}`);
      }
      return res.body.externalSecrets as StatusRow[];
    },
    stop: () => backend.stop(),
  };
}
