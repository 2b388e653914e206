import {
  type Entity,
  getCompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  type ExternalSecretStatusDto,
  externalSecretsEntityRestartPermission,
  type SecretConsumerDto,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import CircularProgress from '@material-ui/core/CircularProgress';
import Typography from '@material-ui/core/Typography';
import ReplayIcon from '@material-ui/icons/Replay';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import { externalSecretsApiRef } from '../../api/ExternalSecretsApi';
import { serverMessageOf } from '../../lib/statusCodeOf';

/**
 * Only a stale, restartable consumer in a cluster that allows restarts gets
 * the button: not a paused Deployment, nor an OnDelete StatefulSet/DaemonSet
 * (a template change rolls none of its pods; they must be deleted).
 */
export function canRestart(
  es: ExternalSecretStatusDto,
  consumer: SecretConsumerDto,
): boolean {
  return (
    es.rollout?.mode === 'restart' &&
    consumer.verdict === 'restart-needed' &&
    consumer.kind !== 'CronJob' &&
    !consumer.paused &&
    consumer.updateStrategy !== 'OnDelete'
  );
}

/**
 * "Restart now" for one workload whose pods run data from before the
 * Secret's last change, shown only to users the permission policy allows.
 */
export function RestartNowButton(props: {
  entity: Entity;
  externalSecret: ExternalSecretStatusDto;
  consumer: SecretConsumerDto;
  onRestarted?: () => void;
}) {
  const { entity, externalSecret: es, consumer, onRestarted } = props;
  const api = useApi(externalSecretsApiRef);
  const permission = usePermission({
    permission: externalSecretsEntityRestartPermission,
    resourceRef: stringifyEntityRef(entity),
  });
  const [state, restart] = useAsyncFn(async () => {
    const response = await api.restartConsumer(getCompoundEntityRef(entity), {
      cluster: es.cluster,
      namespace: es.namespace,
      name: es.name,
      workloadKind: consumer.kind as 'Deployment' | 'StatefulSet' | 'DaemonSet',
      workload: consumer.name,
    });
    onRestarted?.();
    return response;
  }, [api, entity, es, consumer, onRestarted]);

  if (!permission.allowed || !canRestart(es, consumer)) return null;
  return (
    <Box>
      <Button
        size="small"
        variant="outlined"
        color="primary"
        onClick={() => restart()}
        disabled={state.loading}
        aria-label={`Restart now: roll ${consumer.kind} ${consumer.name} so its pods read the current value`}
        startIcon={
          state.loading ? (
            <CircularProgress size={14} color="inherit" />
          ) : (
            <ReplayIcon />
          )
        }
      >
        Restart now
      </Button>
      <Box aria-live="polite">
        {state.error && (
          <Typography variant="caption" color="error">
            {serverMessageOf(state.error)}
          </Typography>
        )}
        {state.value && (
          <Typography variant="caption">Restart requested</Typography>
        )}
      </Box>
    </Box>
  );
}
