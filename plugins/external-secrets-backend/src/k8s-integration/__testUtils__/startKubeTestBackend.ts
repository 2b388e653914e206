import {
  AuditorService,
  SchedulerServiceTaskFunction,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { JsonObject } from '@backstage/types';
import request from 'supertest';
import { externalSecretsPlugin } from '../../plugin';
import { KubeTestEnv } from './kubeTestEnv';

/** One ExternalSecret row of the plugin's status API. */
export type StatusRow = {
  name: string;
  namespace: string;
  mode: string;
  state: string;
  reason?: string;
  message?: string;
  keys: {
    secretKey?: string;
    state: string;
    errorType?: string;
    message?: string;
  }[];
};

/** The plugin on a test backend, with its reconcile task in the test's hands. */
export type KubeTestBackend = {
  /** Runs one reconcile cycle to completion, as the scheduler would. */
  runCycle(): Promise<void>;
  /**
   * Starts one run of the cluster's task in the background (with
   * `watch.enabled`, it holds the cluster and serves watch events); `stop`
   * aborts it as the scheduler's timeout would and waits for it to end.
   */
  startRun(): { stop(): Promise<void> };
  /** The entity's ExternalSecrets as the plugin's REST API reports them. */
  status(entityName: string): Promise<StatusRow[]>;
  /** The backend's HTTP server, for other API calls. */
  server: Awaited<ReturnType<typeof startTestBackend>>['server'];
  stop(): Promise<void>;
};

/**
 * Boots the real plugin on a test backend, like `startReconcilerTestBackend`,
 * but wired to the real apiserver of `scripts/kube-test-env.sh` (URL, token and
 * CA as an operator would configure them), with the scheduler captured so a test
 * runs cycles itself. The database is the test backend's in-memory SQLite.
 */
export async function startKubeTestBackend(options: {
  env: KubeTestEnv;
  entities: Entity[];
  /** Overrides of the cluster entry (token, mode, esoFree, ...). */
  cluster?: JsonObject;
  /** More `externalSecrets` config (stores, credentials, ...). */
  config?: JsonObject;
  extraFeatures?: Parameters<typeof startTestBackend>[0]['features'];
}): Promise<KubeTestBackend> {
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
      mockServices.rootConfig.factory({
        data: {
          externalSecrets: {
            clusters: [
              {
                name: 'kube-test-env',
                url: options.env.url,
                serviceAccountToken: options.env.pluginToken,
                caData: options.env.caData,
                mode: 'reconcile',
                esoFree: true,
                ...options.cluster,
              },
            ],
            // runCycle() runs one cycle; a held run would wait out `frequency`.
            watch: { enabled: false },
            ...options.config,
            // The suites use fake stores; production leaves it off.
            providers: {
              fake: { enabled: true },
              ...(options.config?.providers as JsonObject | undefined),
            },
          },
        },
      }),
      ...(options.extraFeatures ?? []),
    ],
  });
  return {
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
    async status(entityName) {
      const res = await request(backend.server).get(
        `/api/external-secrets/entities/component/default/${entityName}/status`,
      );
      if (res.status !== 200) {
        throw new Error(`status API answered HTTP ${res.status}: ${res.text}`);
      }
      return res.body.externalSecrets as StatusRow[];
    },
    server: backend.server,
    stop: () => backend.stop(),
  };
}
