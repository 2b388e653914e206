import type { Entity } from '@backstage/catalog-model';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  type EntityStatusResponse,
  externalSecretsEntityReadPermission,
  isExternalSecretsAvailable,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import type { ReactNode } from 'react';
import { useEntityStatus } from '../../hooks/useEntityStatus';
import { statusCodeOf } from '../../lib/statusCodeOf';
import { PlaygroundBanner } from '../PlaygroundBanner';
import { MissingExternalSecretsState } from './MissingExternalSecretsState';
import { NoExternalSecretsFound } from './NoExternalSecretsFound';
import { PermissionDeniedMessage } from './PermissionDeniedMessage';

export type EntityStatusGateProps = {
  /** Renders a status that has at least one ExternalSecret. */
  children: (status: EntityStatusResponse, reload: () => void) => ReactNode;
};

function StatusLoader(props: EntityStatusGateProps & { entity: Entity }) {
  const { entity, children } = props;
  const { loading, error, value, retry } = useEntityStatus(entity);

  // Keep showing the last status while a reload runs (e.g. after "Sync now").
  if (value && value.externalSecrets.length > 0) {
    return (
      <>
        <PlaygroundBanner setup={value.setup} />
        {children(value, retry)}
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
