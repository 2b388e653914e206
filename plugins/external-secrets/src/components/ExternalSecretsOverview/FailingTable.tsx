import { Table, type TableColumn } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import type { OverviewResponse } from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import { RelativeTime } from '../RelativeTime';
import { ExternalSecretStateBadge } from '../StateBadge';

type FailingRow = OverviewResponse['failing'][number] & {
  id: string;
  externalSecretName: string;
  failingKeys: string;
};

function toRow(item: OverviewResponse['failing'][number]): FailingRow {
  const es = item.externalSecret;
  return {
    ...item,
    id: `${item.entityRef}/${es.cluster}/${es.namespace}/${es.name}`,
    externalSecretName: `${es.cluster}/${es.namespace}/${es.name}`,
    failingKeys: es.keys
      .filter(key => key.state === 'error' || key.state === 'unsupported')
      .map(key => key.secretKey ?? key.source)
      .join(', '),
  };
}

const columns: TableColumn<FailingRow>[] = [
  {
    title: 'Entity',
    field: 'entityRef',
    render: row => <EntityRefLink entityRef={row.entityRef} />,
  },
  { title: 'ExternalSecret', field: 'externalSecretName' },
  {
    title: 'State',
    field: 'externalSecret.state',
    render: row => (
      <ExternalSecretStateBadge state={row.externalSecret.state} />
    ),
  },
  { title: 'Failing keys', field: 'failingKeys' },
  {
    title: 'Reason',
    field: 'externalSecret.message',
    render: row =>
      row.externalSecret.message ?? row.externalSecret.reason ?? '',
  },
  {
    title: 'Last attempt',
    field: 'externalSecret.lastAttemptAt',
    render: row => <RelativeTime value={row.externalSecret.lastAttemptAt} />,
  },
];

/** The failing ExternalSecrets across the catalog, linked to their entities. */
export function FailingTable(props: { failing: OverviewResponse['failing'] }) {
  return (
    <Table<FailingRow>
      title="Failing ExternalSecrets"
      columns={columns}
      data={props.failing.map(toRow)}
      options={{
        paging: true,
        pageSize: 20,
        emptyRowsWhenPaging: false,
        search: true,
        padding: 'dense',
      }}
      emptyContent={
        <div style={{ padding: 16 }}>Nothing is failing. All synced.</div>
      }
    />
  );
}
