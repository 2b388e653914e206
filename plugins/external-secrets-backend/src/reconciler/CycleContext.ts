import { AuditorService, LoggerService } from '@backstage/backend-plugin-api';
import { SecretStore } from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import pLimit from 'p-limit';
import { KubernetesSecret } from '../kubernetes/types';
import {
  ExternalSecretRecord,
  StoreStatusRecord,
  SyncEvent,
} from '../database/StatusStore';
import { ResolvedStore } from './StoreResolver';
import { CycleClients } from './CycleClients';
import { MergeClaims } from './mergeConflicts';
import { PropagationPlan } from './PropagationPlan';
import { ProviderRegistry } from './ProviderRegistry';
import { WorkItem } from './WorkItem';

/** Everything one cycle shares across its ExternalSecrets. */
export type CycleContext = {
  now: Date;
  providers: ProviderRegistry;
  configStores: SecretStore[];
  controllerClass: string;
  clients: CycleClients;
  readLimit: ReturnType<typeof pLimit>;
  logger: LoggerService;
  auditor: AuditorService;
  /** The managed Secrets of a namespace, listed once per cycle. */
  currentSecret: (
    item: WorkItem,
    name: string,
  ) => Promise<KubernetesSecret | undefined>;
  /** Last stored state, by `cluster/namespace/name`. */
  previous: (item: WorkItem) => ExternalSecretRecord | undefined;
  /** Stores opted into webhooks or polling (`externalSecrets.propagation`). */
  propagation?: PropagationPlan;
  /** Keys of shared creationPolicy Merge Secrets, by writer (kept across cycles). */
  mergeClaims?: MergeClaims;
  /**
   * The store's last validation: this cycle's for new and not-Ready stores
   * (validated before the reads), else the previous one; undefined when its
   * validation never completed (the gate then holds its reads back).
   */
  lastStoreValidation?: (
    cluster: string,
    store: ResolvedStore,
  ) => StoreStatusRecord | undefined;
  /** `externalSecrets.status.updateRefreshTime`: move refreshTime on every refresh. */
  updateRefreshTime?: boolean;
};

/** What the cycle does with the outcome: save it (and events), or nothing. */
export type SyncOutcome = {
  record: ExternalSecretRecord;
  /** False when nothing changed: skip the database write. */
  changed: boolean;
  events: SyncEvent[];
  /**
   * Our write this cycle changed the Secret's data: its new data-hash, and
   * the one it replaced (absent when the Secret was created).
   */
  dataChanged?: {
    hash: string;
    previousHash?: string;
    /** Key NAMES whose values changed. */
    changedKeys: string[];
    /** The Secret's annotations as written (Reloader's match / ignore). */
    secretAnnotations: Record<string, string>;
  };
};
