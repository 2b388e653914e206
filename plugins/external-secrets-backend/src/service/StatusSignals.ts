import { LoggerService } from '@backstage/backend-plugin-api';
import type { SignalsService } from '@backstage/plugin-signals-node';
import {
  externalSecretsStatusChannel,
  type ExternalSecretsStatusSignal,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-common';

/**
 * Tells open pages that an entity's status changed, through Backstage
 * signals (`@backstage/plugin-signals-backend` relays them to browsers; where
 * it is not installed the publish reaches no one and pages poll instead).
 * Broadcast on the entity's channel with nothing but a time: whoever listens
 * still reads the status through the permission-checked API.
 */
export class StatusSignals {
  constructor(
    private readonly signals: SignalsService,
    private readonly logger: LoggerService,
  ) {}

  async statusChanged(entityRefs: Iterable<string>, at: Date): Promise<void> {
    const message: ExternalSecretsStatusSignal = {
      changedAt: at.toISOString(),
    };
    for (const entityRef of new Set(entityRefs)) {
      try {
        await this.signals.publish({
          recipients: { type: 'broadcast' },
          channel: externalSecretsStatusChannel(entityRef),
          message,
        });
      } catch (e) {
        // A page that misses a signal still polls; a cycle never fails on it.
        this.logger.debug(
          `Could not publish the status signal of ${entityRef}: ${
            (e as Error).message
          }`,
        );
      }
    }
  }
}
