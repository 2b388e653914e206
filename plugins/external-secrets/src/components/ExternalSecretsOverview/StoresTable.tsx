import { Table, type TableColumn } from '@backstage/core-components';
import type { StoreStatusDto } from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import { RelativeTime } from '../RelativeTime';
import { StoreReadyBadge } from '../StateBadge';

type StoreRow = StoreStatusDto & { id: string; store: string; where: string };

function toRow(store: StoreStatusDto): StoreRow {
  const qualified = store.namespace
    ? `${store.namespace}/${store.name}`
    : store.name;
  return {
    ...store,
    id: `${store.cluster}/${store.kind}/${store.namespace}/${store.name}`,
    store: `${store.kind} ${qualified}`,
    where: store.origin === 'config' ? 'app-config' : store.cluster,
  };
}

const columns: TableColumn<StoreRow>[] = [
  {
    title: 'Ready',
    field: 'ready',
    render: row => <StoreReadyBadge ready={row.ready} />,
  },
  { title: 'Store', field: 'store', highlight: true },
  { title: 'Provider', field: 'provider' },
  { title: 'Declared in', field: 'where' },
  {
    title: 'Reason',
    field: 'message',
    render: row => [row.reason, row.message].filter(Boolean).join(': '),
  },
  {
    title: 'Last validation',
    field: 'lastValidatedAt',
    render: row => <RelativeTime value={row.lastValidatedAt} />,
  },
];

/** The stores with their Ready state and when they were last validated. */
export function StoresTable(props: { stores: StoreStatusDto[] }) {
  return (
    <Table<StoreRow>
      title="Secret stores"
      columns={columns}
      data={props.stores.map(toRow)}
      options={{ paging: false, search: false, padding: 'dense' }}
      emptyContent={
        <div style={{ padding: 16 }}>No stores configured or found.</div>
      }
    />
  );
}
