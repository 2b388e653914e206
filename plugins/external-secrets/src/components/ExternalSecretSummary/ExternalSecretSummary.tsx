import type { Entity } from '@backstage/catalog-model';
import type { ExternalSecretStatusDto } from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { KubernetesLocationLink } from '../KubernetesLocationLink';
import { RelativeTime } from '../RelativeTime';
import { ExternalSecretStateBadge } from '../StateBadge';
import { SecretConsumersSummary } from '../SecretConsumers';
import { KeyMappingList } from './KeyMappingList';

const useStyles = makeStyles(theme => ({
  facts: {
    display: 'grid',
    gridTemplateColumns: 'max-content 1fr',
    columnGap: theme.spacing(2),
    rowGap: theme.spacing(0.5),
    margin: theme.spacing(1, 0),
    '& dt': { color: theme.palette.text.secondary },
    '& dd': { margin: 0 },
  },
  message: {
    color: theme.palette.error.main,
    whiteSpace: 'pre-wrap',
  },
}));

/**
 * One ExternalSecret on the entity card: its overall state, where it reads
 * from and writes to, when it last synced and will refresh, and its keys.
 */
export function ExternalSecretSummary(props: {
  entity: Entity;
  externalSecret: ExternalSecretStatusDto;
}) {
  const { entity, externalSecret: es } = props;
  const classes = useStyles();
  const title = `${es.namespace}/${es.name}`;
  return (
    <Box component="section" aria-label={`ExternalSecret ${title}`} mb={3}>
      <Box display="flex" alignItems="center" flexWrap="wrap">
        <Box mr={2}>
          <Typography variant="h6" component="h3">
            {es.name}
          </Typography>
        </Box>
        <ExternalSecretStateBadge state={es.state} reason={es.reason} />
      </Box>
      {(es.state !== 'Synced' || es.reason === 'Stale') &&
        (es.message || es.reason) && (
          <Typography variant="body2" className={classes.message}>
            {es.message ?? es.reason}
          </Typography>
        )}
      <dl className={classes.facts}>
        <dt>Store</dt>
        <dd>{es.store ? `${es.store.kind} ${es.store.name}` : 'none'}</dd>
        <dt>Target Secret</dt>
        <dd>
          {es.targetSecret} in{' '}
          <KubernetesLocationLink
            entity={entity}
            cluster={es.cluster}
            namespace={es.namespace}
          />
        </dd>
        <dt>Last sync</dt>
        <dd>
          <RelativeTime value={es.lastSyncAt} />
        </dd>
        {/* A failing one keeps trying: when it last did. */}
        {es.lastAttemptAt && es.state !== 'Synced' && es.mode !== 'observe' && (
          <>
            <dt>Last attempt</dt>
            <dd>
              <RelativeTime value={es.lastAttemptAt} />
            </dd>
          </>
        )}
        {/* Observe mode: ESO syncs ("Last sync" is its refreshTime); every
            cycle reads ESO's status, and this is when it last did. */}
        {es.lastAttemptAt && es.mode === 'observe' && (
          <>
            <dt>Last checked</dt>
            <dd>
              <RelativeTime value={es.lastAttemptAt} />
            </dd>
          </>
        )}
        <dt>Next refresh</dt>
        <dd>
          <RelativeTime
            value={es.nextDueAt}
            fallback="not scheduled"
            pastLabel="due now"
          />
          {es.refreshInterval ? ` (every ${es.refreshInterval})` : ''}
        </dd>
      </dl>
      <KeyMappingList
        keys={es.keys}
        defaultStore={es.store}
        label={`Key mappings of ${title}`}
      />
      <SecretConsumersSummary externalSecret={es} />
    </Box>
  );
}
