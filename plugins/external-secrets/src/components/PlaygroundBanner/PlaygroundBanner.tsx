import type { SetupDto } from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';

/** The label every view shows while the backend runs the playground. */
export const PLAYGROUND_TITLE = 'Playground — simulated cluster, sample values';

/**
 * Says, above a status or the stores, that the backend runs
 * `externalSecrets.playground`: nothing shown is a real cluster or a real
 * secret. Renders nothing otherwise (and for backends that do not say).
 */
export function PlaygroundBanner(props: { setup?: SetupDto }) {
  if (!props.setup?.playground) return null;
  return (
    <Alert severity="warning" style={{ marginBottom: 16 }}>
      <AlertTitle>{PLAYGROUND_TITLE}</AlertTitle>
      This Backstage runs <code>externalSecrets.playground</code>: the cluster
      is simulated inside the backend and the store holds sample values, so
      nothing here is a real Secret. For real use, remove it and configure{' '}
      <code>externalSecrets.clusters</code> and your stores.
    </Alert>
  );
}
