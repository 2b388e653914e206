import {
  type Entity,
  getCompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import { externalSecretsEntitySyncPermission } from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import CircularProgress from '@material-ui/core/CircularProgress';
import SyncIcon from '@material-ui/icons/Sync';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import { externalSecretsApiRef } from '../../api/ExternalSecretsApi';
import { SyncResultMessage } from './SyncResultMessage';

/**
 * "Sync now" for all of the entity's ExternalSecrets, shown only to users the
 * permission policy allows to; reports what was requested, or why not.
 */
export function SyncNowButton(props: {
  entity: Entity;
  /** Called after a successful request, e.g. to reload status and events. */
  onRequested?: () => void;
}) {
  const { entity, onRequested } = props;
  const api = useApi(externalSecretsApiRef);
  const permission = usePermission({
    permission: externalSecretsEntitySyncPermission,
    resourceRef: stringifyEntityRef(entity),
  });
  const [state, sync] = useAsyncFn(async () => {
    const response = await api.syncEntity(getCompoundEntityRef(entity));
    onRequested?.();
    return response;
  }, [api, entity, onRequested]);

  if (!permission.allowed) {
    return null;
  }
  return (
    <Box>
      <Button
        variant="contained"
        color="primary"
        onClick={() => sync()}
        disabled={state.loading}
        aria-label="Sync now: request an immediate sync of this entity's ExternalSecrets"
        startIcon={
          state.loading ? (
            <CircularProgress size={16} color="inherit" aria-label="Syncing" />
          ) : (
            <SyncIcon />
          )
        }
      >
        Sync now
      </Button>
      <Box mt={1} aria-live="polite">
        {!state.loading && (
          <SyncResultMessage value={state.value} error={state.error} />
        )}
      </Box>
    </Box>
  );
}
