import {
  type Entity,
  getCompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import { externalSecretsApiRef } from '../api/ExternalSecretsApi';

/** How many events the tab shows. */
export const EVENTS_LIMIT = 20;

/**
 * The entity's recent sync events, newest first whatever order the server
 * used. A new `refreshKey` loads them again.
 */
export function useEntityEvents(entity: Entity, refreshKey = 0) {
  const api = useApi(externalSecretsApiRef);
  const entityRef = stringifyEntityRef(entity);
  return useAsync(
    async () => {
      const { events } = await api.getEntityEvents(
        getCompoundEntityRef(entity),
        { limit: EVENTS_LIMIT },
      );
      return [...events].sort(
        (a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt),
      );
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [api, entityRef, refreshKey],
  );
}
