import { InfoCard } from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import { EntityStatusGate } from '../EntityStatusGate';
import { ExternalSecretSummary } from '../ExternalSecretSummary';
import { KeySummary } from '../KeySummary';

/**
 * The entity overview card: each of the entity's ExternalSecrets with its
 * state, store, target Secret, timing and key mappings.
 *
 * @public
 */
export function EntityExternalSecretsCard(props: { title?: string }) {
  const { entity } = useEntity();
  return (
    <InfoCard title={props.title ?? 'External Secrets'}>
      <EntityStatusGate>
        {status => (
          <>
            <KeySummary externalSecrets={status.externalSecrets} />
            {status.externalSecrets.map(es => (
              <ExternalSecretSummary
                key={`${es.cluster}/${es.namespace}/${es.name}`}
                entity={entity}
                externalSecret={es}
              />
            ))}
          </>
        )}
      </EntityStatusGate>
    </InfoCard>
  );
}
