import {
  type Entity,
  getCompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { externalSecretsApiRef } from '../api/ExternalSecretsApi';

/** The entity's ExternalSecrets status; `retry` reloads it and keeps the last value meanwhile. */
export function useEntityStatus(entity: Entity) {
  const api = useApi(externalSecretsApiRef);
  const entityRef = stringifyEntityRef(entity);
  return useAsyncRetry(
    () => api.getEntityStatus(getCompoundEntityRef(entity)),
    // The ref string, not the entity object: a re-fetched entity is the same one.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [api, entityRef],
  );
}
