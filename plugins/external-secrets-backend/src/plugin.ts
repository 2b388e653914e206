import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import { externalSecretsPermissions } from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import { externalSecretsProvidersExtensionPoint } from '@external-secrets-backstage/backstage-plugin-external-secrets-node';
import { ManifestReader } from './catalog/ManifestReader';
import { registerFakeProviderIfEnabled } from './providers/fakeProvider';
import { readExternalSecretsConfig } from './config/readExternalSecretsConfig';
import { readConfigStores } from './config/readConfigStores';
import { readPropagationConfig } from './config/readPropagationConfig';
import { DatabaseStatusStore } from './database/DatabaseStatusStore';
import { ExternalSecretsMetrics } from './metrics/ExternalSecretsMetrics';
import { KubernetesClusterClient } from './kubernetes/KubernetesClusterClient';
import { readClusterConfigs } from './kubernetes/readClusterConfigs';
import { ClusterRegistry } from './reconciler/ClusterRegistry';
import { DatabaseSyncRequester } from './reconciler/DatabaseSyncRequester';
import { ProviderRegistry } from './reconciler/ProviderRegistry';
import {
  guardProviderRegistry,
  StoreHostPolicy,
} from './reconciler/storeHostPolicy';
import { StoreAddressPolicy } from './reconciler/storeAddressPolicy';
import { ReconcileCycle } from './reconciler/ReconcileCycle';
import {
  scheduleReconcileTask,
  triggerReconcile,
} from './reconciler/ReconcileTask';
import { EntityAccess } from './service/EntityAccess';
import { StoreKeyLister } from './service/StoreKeyLister';
import { StatusSignals } from './service/StatusSignals';
import {
  registerStoreResourceType,
  StoreKeysGate,
} from './service/StoreKeysGate';
import { readStoreKeysConfig } from './config/readStoreKeysConfig';
import { createRouter } from './service/router';
import { startPlaygroundIfEnabled } from './playground/startPlayground';
import { RestartRequester } from './rollout/RestartRequester';

import {
  createWebhookRouter,
  INFISICAL_WEBHOOK_PATH,
} from './webhooks/createWebhookRouter';

/** Restart now: at most this many restarts of one workload per window (all replicas). */
const RESTART_NOW_MAX_PER_WORKLOAD = 2;
const RESTART_NOW_WINDOW_MS = 10 * 60_000;

/**
 * The External Secrets backend plugin: the reconciler as a scheduled task, the
 * status store, and the REST API under `/api/external-secrets`.
 *
 * @public
 */
export const externalSecretsPlugin = createBackendPlugin({
  pluginId: 'external-secrets',
  register(env) {
    const providers = new ProviderRegistry();
    env.registerExtensionPoint(externalSecretsProvidersExtensionPoint, {
      addProvider: provider => providers.add(provider),
    });

    env.registerInit({
      deps: {
        rootConfig: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        scheduler: coreServices.scheduler,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        cache: coreServices.cache,
        auditor: coreServices.auditor,
        urlReader: coreServices.urlReader,
        lifecycle: coreServices.lifecycle,
        catalog: catalogServiceRef,
        // Its default factory needs no signals backend: without one, a
        // publish reaches no one and pages fall back to polling.
        signals: signalsServiceRef,
      },
      async init(deps) {
        const { logger } = deps;
        // The playground (never in production) adds its simulated cluster and
        // sample store to the config every reader below sees.
        const playground = await startPlaygroundIfEnabled(
          deps.rootConfig,
          logger,
        );
        if (playground) deps.lifecycle.addShutdownHook(() => playground.stop());
        const rootConfig = playground?.config ?? deps.rootConfig;
        // Modules added theirs during registration; `fake` only when enabled.
        registerFakeProviderIfEnabled(rootConfig, providers);
        const config = readExternalSecretsConfig(rootConfig);
        const propagation = readPropagationConfig(rootConfig);
        const configStores = readConfigStores(config.stores, providers, logger);
        // Every path to a provider refuses namespaced SecretStores whose hosts
        // or addresses the admin did not allow (SSRF guard); shutdown stays on
        // `providers`.
        const guardedProviders = guardProviderRegistry(
          providers,
          new StoreHostPolicy(
            config.security.namespacedStoreHosts,
            new StoreAddressPolicy(
              config.security.namespacedStorePrivateAddresses,
            ),
          ),
          configStores,
        );

        const clusters = new ClusterRegistry();
        const clusterConfigs = readClusterConfigs(rootConfig);
        for (const cluster of clusterConfigs.clusters) {
          clusters.add({
            config: cluster,
            client: KubernetesClusterClient.fromConfig(cluster, {
              maxConnections: config.concurrency.kubernetesRequests,
            }),
          });
        }
        for (const unusable of clusterConfigs.unusable) {
          clusters.addUnusable(unusable);
          logger.warn(
            `Cluster ${unusable.name} is not used by External Secrets: ${unusable.reason}`,
          );
        }
        if (clusters.list().length === 0) {
          logger.warn(
            'No usable cluster configured (externalSecrets.clusters or kubernetes.clusterLocatorMethods): nothing will be synced',
          );
        }

        deps.permissionsRegistry.addPermissions(externalSecretsPermissions);
        registerStoreResourceType(deps.permissionsRegistry);
        const storeKeysConfig = readStoreKeysConfig(rootConfig);
        const statusStore = await DatabaseStatusStore.create({
          database: deps.database,
          logger,
          scheduler: deps.scheduler,
        });
        const metrics = new ExternalSecretsMetrics({
          listExternalSecrets: () => statusStore.listAll(),
          logger,
        });
        deps.lifecycle.addShutdownHook(() => metrics.close());
        const statusSignals = new StatusSignals(deps.signals, logger);
        const cycle = new ReconcileCycle({
          config,
          configStores,
          providers: guardedProviders,
          clusters,
          catalog: deps.catalog,
          auth: deps.auth,
          statusStore,
          manifestReader: new ManifestReader(deps.urlReader),
          logger,
          auditor: deps.auditor,
          propagation,
          onOutcome: (record, durationMs, attempted) =>
            metrics.recordOutcome(record, durationMs, attempted),
          onCycle: report => metrics.recordCycle(report),
          onStatusChanged: (entityRefs, at) =>
            statusSignals.statusChanged(entityRefs, at),
        });
        const tasks = await scheduleReconcileTask({
          scheduler: deps.scheduler,
          schedule: config.schedule,
          cycle,
          clusters,
          statusStore,
          logger,
          watch: {
            enabled:
              deps.rootConfig.getOptionalBoolean(
                'externalSecrets.watch.enabled',
              ) ?? true,
          },
        });

        deps.httpRouter.addAuthPolicy({
          path: '/health',
          allow: 'unauthenticated',
        });
        // Infisical cannot present a Backstage token: the webhook signature
        // (checked on every request) is the route's authentication.
        deps.httpRouter.addAuthPolicy({
          path: INFISICAL_WEBHOOK_PATH,
          allow: 'unauthenticated',
        });
        deps.httpRouter.use(
          createWebhookRouter({
            propagation,
            statusStore,
            logger,
            auditor: deps.auditor,
            triggerCycle: () =>
              triggerReconcile(
                deps.scheduler,
                logger,
                clusters.list().map(c => c.config.name),
              ),
          }),
        );
        deps.httpRouter.use(
          await createRouter({
            httpAuth: deps.httpAuth,
            auditor: deps.auditor,
            access: new EntityAccess(deps.catalog, deps.permissions),
            statusStore,
            syncRequester: new DatabaseSyncRequester({
              statusStore,
              clusters,
              scheduler: deps.scheduler,
              logger,
              maxPerEntityPerMinute: config.syncNow.maxPerEntityPerMinute,
            }),
            restartRequester: new RestartRequester({
              statusStore,
              clusters,
              auditor: deps.auditor,
              maxPerWorkload: RESTART_NOW_MAX_PER_WORKLOAD,
              windowMs: RESTART_NOW_WINDOW_MS,
            }),
            storeKeys: new StoreKeyLister({
              statusStore,
              configStores,
              clusters,
              providers: guardedProviders,
              credentials: config.credentials,
              logger,
              cache: deps.cache,
              cacheTtlMs: storeKeysConfig.cacheTtlMs,
              maxKeys: storeKeysConfig.maxKeys,
            }),
            storeKeysGate: new StoreKeysGate({
              permissions: deps.permissions,
              statusStore,
              maxPerUserPerMinute: storeKeysConfig.maxPerUserPerMinute,
            }),
            checkHealth: () => statusStore.ping(),
            errorHandling: { logger },
            setup: () => ({
              clusters: clusters.list().length,
              playground: Boolean(playground),
            }),
            validateResponses: rootConfig.getOptionalBoolean(
              'externalSecrets.api.validateResponses',
            ),
          }),
        );
        deps.lifecycle.addShutdownHook(() => tasks.stop());
        deps.lifecycle.addShutdownHook(() => providers.shutdown());
        deps.lifecycle.addShutdownHook(() => {
          for (const { client } of clusters.list()) client.close?.();
        });
      },
    });
  },
});
