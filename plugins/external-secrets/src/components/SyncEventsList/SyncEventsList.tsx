import type { Entity } from '@backstage/catalog-model';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
  StatusError,
  StatusOK,
  StatusPending,
  StatusWarning,
} from '@backstage/core-components';
import {
  externalSecretsEntityReadPermission,
  type SyncEventDto,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import { useEntityEvents } from '../../hooks/useEntityEvents';
import { statusCodeOf } from '../../lib/statusCodeOf';
import { PermissionDeniedMessage } from '../EntityStatusGate';
import { RelativeTime } from '../RelativeTime';

const STATUS_BY_TYPE: Record<string, typeof StatusOK> = {
  synced: StatusOK,
  created: StatusOK,
  updated: StatusOK,
  deleted: StatusWarning,
  error: StatusError,
  refused: StatusError,
  'sync-requested': StatusPending,
};

/** The event type as text ("sync-requested" → "Sync requested"), next to its colour. */
function EventType(props: { type: string }) {
  const Status = STATUS_BY_TYPE[props.type] ?? StatusPending;
  const text = props.type.replace(/-/g, ' ');
  return (
    <Status aria-hidden={false} aria-label={undefined}>
      {text.charAt(0).toLocaleUpperCase('en-US') + text.slice(1)}
    </Status>
  );
}

function EventItem(props: { event: SyncEventDto }) {
  const { event } = props;
  return (
    <ListItem divider disableGutters>
      <ListItemText
        disableTypography
        primary={
          <Typography variant="body2" component="div">
            <EventType type={event.type} /> {event.namespace}/{event.name} (
            <RelativeTime value={event.createdAt} />)
          </Typography>
        }
        secondary={
          <Typography variant="body2" color="textSecondary" component="div">
            {event.message}
            {event.changedKeys?.length ? (
              <div>Changed keys: {event.changedKeys.join(', ')}</div>
            ) : null}
          </Typography>
        }
      />
    </ListItem>
  );
}

function EventsBody(props: { entity: Entity; refreshKey: number }) {
  const { loading, error, value } = useEntityEvents(
    props.entity,
    props.refreshKey,
  );
  if (loading && !value) {
    return <Progress />;
  }
  if (error && statusCodeOf(error) === 403) {
    return (
      <PermissionDeniedMessage
        title="You do not have permission to view this entity's sync events"
        permission={externalSecretsEntityReadPermission.name}
      />
    );
  }
  if (error) {
    return <ResponseErrorPanel error={error} />;
  }
  if (!value?.length) {
    return <Typography>No sync events recorded yet.</Typography>;
  }
  return (
    <List dense aria-label="Recent sync events, newest first">
      {value.map(event => (
        <EventItem
          key={`${event.createdAt}/${event.cluster}/${event.namespace}/${event.name}/${event.type}`}
          event={event}
        />
      ))}
    </List>
  );
}

/** The entity's recent sync events, newest first. */
export function SyncEventsList(props: { entity: Entity; refreshKey?: number }) {
  return (
    <InfoCard title="Recent sync events">
      <EventsBody entity={props.entity} refreshKey={props.refreshKey ?? 0} />
    </InfoCard>
  );
}
