import type { ExternalSecretStatusDto } from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { RelativeTime } from '../RelativeTime';
import { ExternalSecretStateBadge } from '../StateBadge';

/**
 * Per ExternalSecret: its state, when it last synced, when it was last
 * attempted (a failing one keeps trying; in observe mode, when ESO's status
 * was last checked) and when it refreshes next.
 */
export function SyncTimesList(props: {
  externalSecrets: ExternalSecretStatusDto[];
}) {
  return (
    <Box component="ul" aria-label="Sync times" p={0} m={0}>
      {props.externalSecrets.map(es => (
        <Box
          component="li"
          key={`${es.cluster}/${es.namespace}/${es.name}`}
          display="flex"
          alignItems="center"
          flexWrap="wrap"
          style={{ listStyle: 'none', gap: 16 }}
          mb={1}
        >
          <Typography variant="subtitle2" component="span">
            {`${es.namespace}/${es.name}`}
          </Typography>
          <ExternalSecretStateBadge state={es.state} reason={es.reason} />
          <Typography variant="body2" component="span">
            Last sync: <RelativeTime value={es.lastSyncAt} />
          </Typography>
          <Typography variant="body2" component="span">
            {/* Observe mode: when ESO's status was last read. */}
            {es.mode === 'observe' ? 'Last checked' : 'Last attempt'}:{' '}
            <RelativeTime value={es.lastAttemptAt} fallback="none yet" />
          </Typography>
          <Typography variant="body2" component="span">
            Next refresh:{' '}
            <RelativeTime
              value={es.nextDueAt}
              fallback="not scheduled"
              pastLabel="due now"
            />
          </Typography>
        </Box>
      ))}
    </Box>
  );
}
