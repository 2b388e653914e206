import type { Entity } from '@backstage/catalog-model';
import { InfoCard } from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import type {
  EntityStatusResponse,
  SyncResponse,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { useCallback, useEffect, useRef, useState } from 'react';
import { EntityStatusGate } from '../EntityStatusGate';
import { ExternalSecretManifest } from '../ExternalSecretManifest';
import { KeyMappingTable } from '../KeyMappingTable';
import { SecretConsumersTable } from '../SecretConsumers';
import { SyncEventsList } from '../SyncEventsList';
import { SyncNowButton } from '../SyncNowButton';
import { SyncTimesList } from '../SyncTimesList';

function StatusContent(props: {
  entity: Entity;
  status: EntityStatusResponse;
  reload: (requested?: SyncResponse['requested']) => void;
}) {
  const { entity, status, reload } = props;
  const [refreshKey, setRefreshKey] = useState(0);
  const onRequested = useCallback(
    (response?: SyncResponse) => {
      reload(response?.requested);
      setRefreshKey(key => key + 1);
    },
    [reload],
  );
  // Events follow the status: a new attempt brings its event.
  const attempts = status.externalSecrets
    .map(es => es.lastAttemptAt ?? '')
    .join();
  const shownAttempts = useRef(attempts);
  useEffect(() => {
    if (shownAttempts.current === attempts) return;
    shownAttempts.current = attempts;
    setRefreshKey(key => key + 1);
  }, [attempts]);

  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <Box
          display="flex"
          justifyContent="space-between"
          alignItems="flex-start"
          flexWrap="wrap"
        >
          <Typography variant="h5" component="h2">
            Secrets synced from external stores
          </Typography>
          <SyncNowButton entity={entity} onRequested={onRequested} />
        </Box>
      </Grid>
      <Grid item xs={12}>
        <SyncTimesList externalSecrets={status.externalSecrets} />
      </Grid>
      <Grid item xs={12}>
        <KeyMappingTable
          entity={entity}
          externalSecrets={status.externalSecrets}
        />
      </Grid>
      <Grid item xs={12}>
        <SecretConsumersTable
          entity={entity}
          externalSecrets={status.externalSecrets}
          onRestarted={onRequested}
        />
      </Grid>
      <Grid item xs={12} md={6}>
        <SyncEventsList entity={entity} refreshKey={refreshKey} />
      </Grid>
      <Grid item xs={12} md={6}>
        <InfoCard title="Declared ExternalSecrets (references only)">
          {status.externalSecrets.map(es => (
            <ExternalSecretManifest
              key={`${es.cluster}/${es.namespace}/${es.name}`}
              externalSecret={es}
            />
          ))}
        </InfoCard>
      </Grid>
    </Grid>
  );
}

/**
 * The entity tab: every key mapping in one table, recent sync events,
 * "Sync now" for permitted users, and the declared manifests to copy.
 *
 * @public
 */
export function EntityExternalSecretsContent() {
  const { entity } = useEntity();
  return (
    <EntityStatusGate>
      {(status, reload) => (
        <StatusContent entity={entity} status={status} reload={reload} />
      )}
    </EntityStatusGate>
  );
}
