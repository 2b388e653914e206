import { callerOf } from './callerOf';
import {
  BackstageCredentials,
  PermissionsRegistryService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { CustomErrorBase, NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { createPermissionResourceRef } from '@backstage/plugin-permission-node';
import {
  EXTERNAL_SECRETS_STORE_RESOURCE_TYPE,
  externalSecretsStoreKeysReadPermission,
  parseStoreResourceRef,
  storeResourceRef,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import { StatusStore } from '../database/StatusStore';
import type { StoreAddress } from './KnownStores';

const WINDOW_MS = 60_000;

/** The `external-secrets-store` resource type, for the permissions registry. */
export const storeResourceType = createPermissionResourceRef<
  StoreAddress,
  never
>().with({
  pluginId: 'external-secrets',
  resourceType: EXTERNAL_SECRETS_STORE_RESOURCE_TYPE,
});

/**
 * Registers `external-secrets-store` and its permission. No rules: a policy
 * decides per store by resourceRef (ALLOW or DENY); a conditional decision
 * cannot be expressed, so anything but ALLOW refuses.
 */
export function registerStoreResourceType(
  registry: PermissionsRegistryService,
) {
  registry.addResourceType({
    resourceRef: storeResourceType,
    permissions: [externalSecretsStoreKeysReadPermission],
    rules: [],
    getResources: async refs => refs.map(parseStoreResourceRef),
  });
}

/** Answered with HTTP 429 and `Retry-After`: the user's key-listing budget for this store is spent. */
export class KeyListingRateLimitedError extends CustomErrorBase {
  name = 'KeyListingRateLimitedError' as const;
  readonly statusCode = 429;
  readonly retryAfterSeconds = WINDOW_MS / 1000;
}

/**
 * Admits a key listing: the caller must hold `external-secrets.stores.keys.read`
 * for THIS store, and within its budget of listings per minute for this store
 * (kept in the database, so it holds across replicas). Authorization comes
 * first, so a refused caller learns nothing about budgets.
 */
export class StoreKeysGate {
  constructor(
    private readonly options: {
      permissions: PermissionsService;
      statusStore: StatusStore;
      maxPerUserPerMinute: number;
      now?: () => Date;
    },
  ) {}

  async admit(
    address: StoreAddress,
    credentials: BackstageCredentials,
  ): Promise<void> {
    const resourceRef = storeResourceRef(address);
    const [decision] = await this.options.permissions.authorize(
      [{ permission: externalSecretsStoreKeysReadPermission, resourceRef }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `Not allowed: ${externalSecretsStoreKeysReadPermission.name} on ${resourceRef}`,
      );
    }
    const { maxPerUserPerMinute, statusStore } = this.options;
    const caller = callerOf(credentials);
    const admitted = await statusStore.takeRateBudget(
      `store-keys:${caller}:${resourceRef}`,
      this.options.now?.() ?? new Date(),
      maxPerUserPerMinute,
      WINDOW_MS,
    );
    if (!admitted) {
      throw new KeyListingRateLimitedError(
        `${caller} is limited to ${maxPerUserPerMinute} key listings per minute of ${resourceRef} (externalSecrets.storeKeys.maxPerUserPerMinute); try again in a minute`,
      );
    }
  }
}
