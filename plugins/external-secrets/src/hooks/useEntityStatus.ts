import {
  type Entity,
  getCompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import { useSignal } from '@backstage/plugin-signals-react';
import {
  type EntityStatusResponse,
  externalSecretsStatusChannel,
  type ExternalSecretsStatusSignal,
  type SyncResponse,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import { useCallback, useEffect, useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import useInterval from 'react-use/esm/useInterval';
import { externalSecretsApiRef } from '../api/ExternalSecretsApi';

/** Reload period where Backstage signals are not installed. */
export const STATUS_POLL_MS = 30_000;
/** Reload period while a requested sync has not landed yet. */
export const SYNC_POLL_MS = 1_000;
/** How long to wait for a requested sync before falling back to normal. */
export const SYNC_WAIT_MS = 60_000;

/** A sync-now waiting to show up: the attempt times it must move past. */
type AwaitedSync = { until: number; attemptsBefore: Map<string, string> };

const idOf = (es: { cluster: string; namespace: string; name: string }) =>
  `${es.cluster}/${es.namespace}/${es.name}`;

/**
 * The entity's ExternalSecrets status, kept live: it reloads on the backend's
 * status signal (Backstage signals), polls every 30 s where signals are not
 * installed, and after a sync-now (`awaitSync`) polls every second until the
 * requested ExternalSecrets show a new attempt. A reload keeps the last value.
 */
export function useEntityStatus(entity: Entity) {
  const api = useApi(externalSecretsApiRef);
  const entityRef = stringifyEntityRef(entity);
  const state = useAsyncRetry(
    () => api.getEntityStatus(getCompoundEntityRef(entity)),
    // The ref string, not the entity object: a re-fetched entity is the same one.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [api, entityRef],
  );
  const { retry } = state;
  const { lastSignal, isSignalsAvailable } =
    useSignal<ExternalSecretsStatusSignal>(
      externalSecretsStatusChannel(entityRef),
    );
  useEffect(() => {
    if (lastSignal) retry();
  }, [lastSignal, retry]);

  const [awaited, setAwaited] = useState<AwaitedSync>();
  useEffect(() => {
    if (awaited && landed(awaited, state.value)) setAwaited(undefined);
  }, [awaited, state.value]);
  useInterval(
    () => {
      if (awaited && Date.now() > awaited.until) setAwaited(undefined);
      else retry();
    },
    awaited ? SYNC_POLL_MS : null,
  );
  useInterval(retry, isSignalsAvailable || awaited ? null : STATUS_POLL_MS);

  const { value } = state;
  const awaitSync = useCallback(
    (requested: SyncResponse['requested']) => {
      const before = new Map(
        (value?.externalSecrets ?? []).map(es => [
          idOf(es),
          es.lastAttemptAt ?? '',
        ]),
      );
      setAwaited({
        until: Date.now() + SYNC_WAIT_MS,
        attemptsBefore: new Map(
          requested.map(r => [idOf(r), before.get(idOf(r)) ?? '']),
        ),
      });
      retry();
    },
    [value, retry],
  );
  return { ...state, awaitSync, awaitingSync: Boolean(awaited) };
}

/** Every requested ExternalSecret shows an attempt newer than before the request. */
function landed(
  awaited: AwaitedSync,
  status: EntityStatusResponse | undefined,
): boolean {
  if (!status) return false;
  const now = new Map(
    status.externalSecrets.map(es => [idOf(es), es.lastAttemptAt ?? '']),
  );
  return [...awaited.attemptsBefore].every(([id, before]) => {
    const after = now.get(id);
    // Gone from the status: nothing more to wait for.
    return after === undefined || (after !== '' && after > before);
  });
}
