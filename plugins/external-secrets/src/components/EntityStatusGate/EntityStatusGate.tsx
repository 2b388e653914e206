import type { Entity } from '@backstage/catalog-model';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  type EntityStatusResponse,
  externalSecretsEntityReadPermission,
  isExternalSecretsAvailable,
  type SyncResponse,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import { type ReactNode, useCallback } from 'react';
import { useEntityStatus } from '../../hooks/useEntityStatus';
import { statusCodeOf } from '../../lib/statusCodeOf';
import { PlaygroundBanner } from '../PlaygroundBanner';
import { MissingExternalSecretsState } from './MissingExternalSecretsState';
import { NoExternalSecretsFound } from './NoExternalSecretsFound';
import { PermissionDeniedMessage } from './PermissionDeniedMessage';

export type EntityStatusGateProps = {
  /**
   * Renders a status that has at least one ExternalSecret. `reload` reloads
   * it; given what a sync-now requested, it keeps reloading until that sync's
   * attempt shows (or a minute passes).
   */
  children: (
    status: EntityStatusResponse,
    reload: (requested?: SyncResponse['requested']) => void,
  ) => ReactNode;
};

function StatusLoader(props: EntityStatusGateProps & { entity: Entity }) {
  const { entity, children } = props;
  const { loading, error, value, retry, awaitSync } = useEntityStatus(entity);
  const reload = useCallback(
    (requested?: SyncResponse['requested']) =>
      requested ? awaitSync(requested) : retry(),
    [awaitSync, retry],
  );

  // Keep showing the last status while a reload runs (e.g. after "Sync now").
  if (value && value.externalSecrets.length > 0) {
    return (
      <>
        <PlaygroundBanner setup={value.setup} />
        {children(value, reload)}
      </>
    );
  }
  if (loading) {
    return <Progress />;
  }
  if (error && statusCodeOf(error) === 403) {
    return (
      <PermissionDeniedMessage
        title="You do not have permission to view this entity's secret sync status"
        permission={externalSecretsEntityReadPermission.name}
      />
    );
  }
  if (error) {
    return <ResponseErrorPanel error={error} />;
  }
  return (
    <>
      <PlaygroundBanner setup={value?.setup} />
      <NoExternalSecretsFound entity={entity} setup={value?.setup} />
    </>
  );
}

/**
 * Everything before the status itself: the missing-annotation guide, loading,
 * permission denied, API errors and "none found yet".
 */
export function EntityStatusGate(props: EntityStatusGateProps) {
  const { entity } = useEntity();
  if (!isExternalSecretsAvailable(entity)) {
    return <MissingExternalSecretsState entity={entity} />;
  }
  return <StatusLoader entity={entity}>{props.children}</StatusLoader>;
}
