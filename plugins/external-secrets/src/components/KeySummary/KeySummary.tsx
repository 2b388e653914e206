import type { ExternalSecretStatusDto } from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import Typography from '@material-ui/core/Typography';

const FAILING = new Set(['error', 'unsupported']);

function plural(count: number, word: string) {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** "2 ExternalSecrets, 5 keys, 2 failing": the card's first line. */
export function KeySummary(props: {
  externalSecrets: ExternalSecretStatusDto[];
}) {
  const keys = props.externalSecrets.flatMap(es => es.keys);
  const failing = keys.filter(k => FAILING.has(k.state)).length;
  return (
    <Typography
      variant="subtitle1"
      role="status"
      aria-label="Key summary"
      color={failing > 0 ? 'error' : 'textPrimary'}
      gutterBottom
    >
      {plural(props.externalSecrets.length, 'ExternalSecret')},{' '}
      {plural(keys.length, 'key')}, {failing} failing
    </Typography>
  );
}
