import { useApi } from '@backstage/core-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import {
  type ExternalSecretsApi,
  externalSecretsApiRef,
} from '../../api/ExternalSecretsApi';

/** Runs one admin read (stores or overview) against the API. */
export function useAdminRead<T>(read: (api: ExternalSecretsApi) => Promise<T>) {
  const api = useApi(externalSecretsApiRef);
  // `read` is a module-level function: only the API can change.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  return useAsync(() => read(api), [api]);
}
