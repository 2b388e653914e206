import type { SyncResponse } from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import Alert from '@material-ui/lab/Alert';
import { serverMessageOf, statusCodeOf } from '../../lib/statusCodeOf';

const HOW: Record<SyncResponse['requested'][number]['how'], string> = {
  'force-sync-annotation': 'force-sync annotation set',
  scheduled: 'immediate run scheduled',
};

/** What the last "Sync now" did: what was requested, or why nothing was. */
export function SyncResultMessage(props: {
  value?: SyncResponse;
  error?: unknown;
}) {
  const { value, error } = props;
  if (error) {
    const status = statusCodeOf(error);
    if (status === 429) {
      return (
        <Alert severity="warning">
          Rate limited: try again later. {serverMessageOf(error)}
        </Alert>
      );
    }
    if (status === 403) {
      return (
        <Alert severity="error">
          You do not have permission to sync this entity's ExternalSecrets.
        </Alert>
      );
    }
    return (
      <Alert severity="error">Sync failed: {serverMessageOf(error)}</Alert>
    );
  }
  if (!value) {
    return null;
  }
  if (value.requested.length === 0) {
    return (
      <Alert severity="info">Nothing to sync: no ExternalSecret matched.</Alert>
    );
  }
  return (
    <Alert severity="success">
      Sync requested for {value.requested.length} ExternalSecret
      {value.requested.length === 1 ? '' : 's'}:
      <ul>
        {value.requested.map(item => (
          <li key={`${item.cluster}/${item.namespace}/${item.name}`}>
            {item.cluster}/{item.namespace}/{item.name} (
            {HOW[item.how] ?? item.how})
          </li>
        ))}
      </ul>
    </Alert>
  );
}
