import {
  PropagationConfig,
  StorePropagation,
} from '../config/readPropagationConfig';
import { ProviderChangeRecord } from '../database/StatusStore';
import { ResolvedStore } from './StoreResolver';

/**
 * The scheduler checks for due tasks every few seconds, so two cycles one
 * `frequency` apart may start slightly less than that apart; without slack a
 * `pollInterval` equal to the frequency would skip every other tick.
 */
const MAX_POLL_SLACK_MS = 5_000;

/** Why an ExternalSecret is read before its refresh is due. */
export type PropagationTrigger = 'webhook' | 'poll';

/**
 * Decides, for the stores that opted in (`externalSecrets.propagation`),
 * whether an ExternalSecret reads its keys now although its refresh is not
 * due: a provider webhook reported a change of its store since the last
 * attempt, or the store's poll interval has passed. Reading is cheap when
 * nothing changed (one 304 per scope), and writes still happen only on change.
 */
export class PropagationPlan {
  constructor(
    private readonly config: PropagationConfig,
    private readonly changes: ProviderChangeRecord[],
  ) {}

  /** The newest change notification this plan acts on (to delete after the cycle). */
  get lastChangeId(): number | undefined {
    return this.changes.at(-1)?.id;
  }

  trigger(options: {
    stores: ResolvedStore[];
    cluster: string;
    namespace: string;
    lastAttemptAt?: Date;
    now: Date;
  }): PropagationTrigger | undefined {
    let poll = false;
    for (const resolved of options.stores) {
      const entry = this.entryFor(resolved, options.cluster, options.namespace);
      if (!entry) continue;
      if (entry.webhook && this.changedSince(resolved, options.lastAttemptAt)) {
        return 'webhook';
      }
      poll ||=
        entry.pollIntervalMs !== undefined &&
        (!options.lastAttemptAt ||
          options.now.getTime() - options.lastAttemptAt.getTime() >=
            entry.pollIntervalMs -
              Math.min(MAX_POLL_SLACK_MS, entry.pollIntervalMs / 10));
    }
    return poll ? 'poll' : undefined;
  }

  private entryFor(
    resolved: ResolvedStore,
    cluster: string,
    namespace: string,
  ): StorePropagation | undefined {
    const { kind, metadata } = resolved.store;
    return this.config.stores.find(
      entry =>
        entry.kind === kind &&
        entry.name === metadata.name &&
        (entry.cluster === undefined || entry.cluster === cluster) &&
        (kind !== 'SecretStore' ||
          entry.namespace === undefined ||
          entry.namespace === namespace),
    );
  }

  private changedSince(resolved: ResolvedStore, since: Date | undefined) {
    const { provider, store } = resolved;
    return this.changes.some(
      change =>
        change.provider === provider.name &&
        (!since || change.receivedAt > since) &&
        (provider.changeAffectsStore?.(store, change) ?? true),
    );
  }
}
