import {
  type Entity,
  getCompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  externalSecretsEntitySyncPermission,
  type SyncResponse,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import CircularProgress from '@material-ui/core/CircularProgress';
import SyncIcon from '@material-ui/icons/Sync';
import { useState } from 'react';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import { externalSecretsApiRef } from '../../api/ExternalSecretsApi';
import { useSecondsUntil } from '../../hooks/useSecondsUntil';
import { retryAfterSecondsOf } from '../../lib/statusCodeOf';
import { SyncResultMessage } from './SyncResultMessage';

/**
 * "Sync now" for all of the entity's ExternalSecrets, shown only to users the
 * permission policy allows to; reports what was requested, or why not. When
 * rate limited, the button waits out the server's `Retry-After` and says so.
 */
export function SyncNowButton(props: {
  entity: Entity;
  /** Called after a successful request, with what was requested and when. */
  onRequested?: (response: SyncResponse, requestedAt: Date) => void;
}) {
  const { entity, onRequested } = props;
  const api = useApi(externalSecretsApiRef);
  const permission = usePermission({
    permission: externalSecretsEntitySyncPermission,
    resourceRef: stringifyEntityRef(entity),
  });
  const [waitUntil, setWaitUntil] = useState<number>();
  const wait = useSecondsUntil(waitUntil);
  const [state, sync] = useAsyncFn(async () => {
    const requestedAt = new Date();
    try {
      const response = await api.syncEntity(getCompoundEntityRef(entity));
      onRequested?.(response, requestedAt);
      return response;
    } catch (error) {
      const retryAfter = retryAfterSecondsOf(error);
      if (retryAfter) setWaitUntil(Date.now() + retryAfter * 1000);
      throw error;
    }
  }, [api, entity, onRequested]);

  if (!permission.allowed) {
    return null;
  }
  return (
    // A column aligned to its end: a message appearing below never moves the button.
    <Box display="flex" flexDirection="column" alignItems="flex-end">
      <Button
        variant="contained"
        color="primary"
        onClick={() => sync()}
        disabled={state.loading || wait > 0}
        aria-label={
          wait > 0
            ? `Sync now (wait ${wait} s): rate limited`
            : "Sync now: request an immediate sync of this entity's ExternalSecrets"
        }
        startIcon={
          state.loading ? (
            <CircularProgress size={16} color="inherit" aria-label="Syncing" />
          ) : (
            <SyncIcon />
          )
        }
      >
        {wait > 0 ? `Sync now (wait ${wait} s)` : 'Sync now'}
      </Button>
      <Box mt={1} maxWidth={480} aria-live="polite">
        {!state.loading && (
          <SyncResultMessage value={state.value} error={state.error} />
        )}
      </Box>
    </Box>
  );
}
