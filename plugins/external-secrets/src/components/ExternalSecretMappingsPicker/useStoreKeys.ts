import { useApi } from '@backstage/core-plugin-api';
import type { StoreStatusDto } from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import useAsync from 'react-use/esm/useAsync';
import { externalSecretsApiRef } from '../../api/ExternalSecretsApi';

/**
 * The remote key names of the chosen store; nothing is asked before a Ready
 * store is chosen. A store declared in app-config has an empty cluster, which
 * the client sends as `-`.
 */
export function useStoreKeys(store: StoreStatusDto | undefined) {
  const api = useApi(externalSecretsApiRef);
  const ready = store?.ready === true;
  const { cluster, kind, namespace, name } = store ?? {};
  return useAsync(async () => {
    if (!ready || cluster === undefined || !kind || !name) return undefined;
    return api.listStoreKeys({ cluster, kind, namespace, name });
  }, [api, ready, cluster, kind, namespace, name]);
}
