import type { Entity } from '@backstage/catalog-model';
import { InfoCard, Table, type TableColumn } from '@backstage/core-components';
import type {
  ExternalSecretStatusDto,
  SecretConsumerDto,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import Typography from '@material-ui/core/Typography';
import { describeReads, describeVerdict } from '../../lib/describeConsumer';
import { RelativeTime } from '../RelativeTime';
import { RestartNowButton } from './RestartNowButton';
import { WorkloadLink } from './WorkloadLink';

type Row = {
  id: string;
  es: ExternalSecretStatusDto;
  consumer: SecretConsumerDto;
};

const RESTART_BY = { 'on-change': 'on change', 'restart-now': 'restart now' };

/**
 * On the entity tab: every workload reading one of the entity's synced
 * Secrets, how it reads it, whether its pods run the current value, when it
 * was last restarted, and "Restart now" where permitted. Nothing when no
 * cluster of the entity has rollout on.
 */
export function SecretConsumersTable(props: {
  entity: Entity;
  externalSecrets: ExternalSecretStatusDto[];
  onRestarted?: () => void;
}) {
  const { entity, externalSecrets, onRestarted } = props;
  const observed = externalSecrets.filter(es => es.rollout);
  if (observed.length === 0) return null;
  const rows: Row[] = observed.flatMap(es =>
    es.rollout!.consumers.map(consumer => ({
      id: `${es.cluster}/${es.namespace}/${es.name}/${consumer.kind}/${consumer.name}`,
      es,
      consumer,
    })),
  );
  const columns: TableColumn<Row>[] = [
    {
      title: 'Workload',
      render: ({ es, consumer }) => (
        <WorkloadLink
          entity={entity}
          cluster={es.cluster}
          kind={consumer.kind}
          name={consumer.name}
        />
      ),
    },
    {
      title: 'Secret',
      render: ({ es }) => `${es.targetSecret} (${es.cluster}/${es.namespace})`,
    },
    { title: 'Reads it as', render: ({ consumer }) => describeReads(consumer) },
    {
      title: 'Pods',
      render: ({ es, consumer }) => describeVerdict(consumer, es.dataChangedAt),
    },
    {
      title: 'Last restart',
      render: ({ consumer }) =>
        consumer.lastRestart ? (
          <>
            <RelativeTime value={consumer.lastRestart.at} /> (
            {RESTART_BY[consumer.lastRestart.by]})
          </>
        ) : (
          '—'
        ),
    },
    {
      title: '',
      render: ({ es, consumer }) => (
        <RestartNowButton
          entity={entity}
          externalSecret={es}
          consumer={consumer}
          onRestarted={onRestarted}
        />
      ),
    },
  ];
  const errors = observed.flatMap(es =>
    es.rollout!.error ? [`${es.name}: ${es.rollout!.error}`] : [],
  );
  return (
    <InfoCard title="Workloads reading the synced Secrets">
      <Table<Row>
        options={{
          paging: false,
          search: false,
          toolbar: false,
          padding: 'dense',
        }}
        columns={columns}
        data={rows}
        emptyContent={
          <Typography variant="body2" style={{ padding: 16 }}>
            No workload in these namespaces reads the synced Secrets.
          </Typography>
        }
      />
      {errors.map(e => (
        <Typography key={e} variant="caption" color="error" component="p">
          {e}
        </Typography>
      ))}
    </InfoCard>
  );
}
