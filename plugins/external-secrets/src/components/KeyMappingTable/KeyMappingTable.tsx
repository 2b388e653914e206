import type { Entity } from '@backstage/catalog-model';
import { Table, type TableColumn } from '@backstage/core-components';
import type {
  ExternalSecretStatusDto,
  KeyMappingState,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import Box from '@material-ui/core/Box';
import TextField from '@material-ui/core/TextField';
import { useMemo, useState } from 'react';
import { KubernetesLocationLink } from '../KubernetesLocationLink';
import { KeyMappingStateBadge, keyMappingStateLabel } from '../StateBadge';
import {
  compareStates,
  type KeyMappingRow,
  keyMappingRows,
} from './keyMappingRows';

const ALL = 'all';

function columns(entity: Entity): TableColumn<KeyMappingRow>[] {
  return [
    {
      title: 'State',
      field: 'state',
      customSort: (a, b) => compareStates(a.state, b.state),
      render: row => <KeyMappingStateBadge state={row.state} />,
    },
    { title: 'Secret key', field: 'secretKey', highlight: true },
    { title: 'Remote reference', field: 'remoteRef' },
    { title: 'ExternalSecret', field: 'externalSecret' },
    {
      title: 'Target Secret',
      field: 'targetSecret',
      render: row => (
        <>
          {row.targetSecret} in{' '}
          <KubernetesLocationLink
            entity={entity}
            cluster={row.cluster}
            namespace={row.namespace}
          />
        </>
      ),
    },
    {
      title: 'Reason',
      field: 'reason',
      sorting: false,
      // The widest column: a long cause wraps over a few wide lines, not many narrow ones.
      width: '35%',
      cellStyle: { minWidth: 320 },
    },
  ];
}

/**
 * Every key mapping across the entity's ExternalSecrets: sortable by column,
 * filterable by state, searchable.
 */
export function KeyMappingTable(props: {
  entity: Entity;
  externalSecrets: ExternalSecretStatusDto[];
}) {
  const [stateFilter, setStateFilter] = useState<KeyMappingState | typeof ALL>(
    ALL,
  );
  const rows = useMemo(
    () => keyMappingRows(props.externalSecrets),
    [props.externalSecrets],
  );
  const states = useMemo(
    () =>
      [...new Set(rows.map(row => row.state))]
        .sort(compareStates)
        .map(state => ({
          state,
          count: rows.filter(row => row.state === state).length,
        })),
    [rows],
  );
  const visible =
    stateFilter === ALL ? rows : rows.filter(row => row.state === stateFilter);

  return (
    <Box>
      <Box mb={2} maxWidth={280}>
        <TextField
          select
          fullWidth
          id="external-secrets-state-filter"
          label="Filter by state"
          variant="outlined"
          size="small"
          value={stateFilter}
          onChange={event =>
            setStateFilter(event.target.value as KeyMappingState)
          }
          SelectProps={{ native: true }}
        >
          <option value={ALL}>All states ({rows.length})</option>
          {states.map(({ state, count }) => (
            <option key={state} value={state}>
              {keyMappingStateLabel(state)} ({count})
            </option>
          ))}
        </TextField>
      </Box>
      <Table<KeyMappingRow>
        title="Key mappings"
        columns={columns(props.entity)}
        data={visible}
        options={{ paging: false, search: true, padding: 'dense' }}
        emptyContent={<Box p={2}>No key mappings in this state.</Box>}
      />
    </Box>
  );
}
