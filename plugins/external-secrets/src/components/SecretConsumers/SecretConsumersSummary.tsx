import type { ExternalSecretStatusDto } from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { describeVerdict } from '../../lib/describeConsumer';

const ATTENTION = new Set(['restart-needed', 'restarting', 'unknown']);

/**
 * On the entity card, under one ExternalSecret: the workloads that read its
 * target Secret, each with its verdict. Nothing when rollout is off in the
 * cluster.
 */
export function SecretConsumersSummary(props: {
  externalSecret: ExternalSecretStatusDto;
}) {
  const { externalSecret: es } = props;
  if (!es.rollout) return null;
  const { consumers, error } = es.rollout;
  return (
    <Box
      component="section"
      aria-label={`Workloads reading ${es.targetSecret}`}
      mt={1}
    >
      <Typography variant="subtitle2" component="h4">
        Workloads reading {es.targetSecret}
      </Typography>
      {consumers.length === 0 && (
        <Typography variant="body2" color="textSecondary">
          No Deployment, StatefulSet, DaemonSet or CronJob in {es.namespace}{' '}
          reads it.
        </Typography>
      )}
      <Box component="ul" m={0} pl={2}>
        {consumers.map(c => (
          <li key={`${c.kind}/${c.name}`}>
            <Typography
              variant="body2"
              color={ATTENTION.has(c.verdict) ? 'error' : 'textPrimary'}
            >
              {c.kind} {c.name}: {describeVerdict(c, es.dataChangedAt)}
            </Typography>
          </li>
        ))}
      </Box>
      {error && (
        <Typography variant="caption" color="error">
          {error}
        </Typography>
      )}
    </Box>
  );
}
