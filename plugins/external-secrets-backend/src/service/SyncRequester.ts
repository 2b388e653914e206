import { CustomErrorBase } from '@backstage/errors';
import { SyncResponse } from '@external-secrets-backstage/backstage-plugin-external-secrets-common';

/** Which of an entity's ExternalSecrets a sync-now targets (all when empty). */
export type SyncTarget = {
  cluster?: string;
  namespace?: string;
  name?: string;
};

/** The reconciler side of "sync now". */
export interface SyncRequester {
  requestSync(options: {
    entityRef: string;
    /** Who asks: the budget is per requester and entity. */
    requester: string;
    target: SyncTarget;
  }): Promise<SyncResponse['requested']>;
}

/**
 * Answered with HTTP 429 and `Retry-After`: this requester's sync-now budget
 * for the entity is spent.
 */
export class SyncRateLimitedError extends CustomErrorBase {
  name = 'SyncRateLimitedError' as const;
  readonly statusCode = 429;

  constructor(message: string, readonly retryAfterSeconds: number) {
    super(message);
  }
}
