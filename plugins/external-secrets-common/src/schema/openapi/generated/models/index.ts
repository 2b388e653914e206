//

export * from '../models/EntityEvents.model';
export * from '../models/EntityStatus.model';
export * from '../models/ErrorError.model';
export * from '../models/ExternalSecretStatus.model';
export * from '../models/Health200Response.model';
export * from '../models/KeyMapping.model';
export * from '../models/ModelError.model';
export * from '../models/Overview.model';
export * from '../models/OverviewCounts.model';
export * from '../models/OverviewFailingInner.model';
export * from '../models/RestartRequest.model';
export * from '../models/RestartResponse.model';
export * from '../models/Rollout.model';
export * from '../models/SecretConsumer.model';
export * from '../models/SecretConsumerLastRestart.model';
export * from '../models/Setup.model';
export * from '../models/StoreKeys.model';
export * from '../models/StoreKeysStore.model';
export * from '../models/StoreRef.model';
export * from '../models/StoreStatus.model';
export * from '../models/Stores.model';
export * from '../models/SyncEvent.model';
export * from '../models/SyncRequest.model';
export * from '../models/SyncResponse.model';
export * from '../models/SyncResponseRequestedInner.model';
