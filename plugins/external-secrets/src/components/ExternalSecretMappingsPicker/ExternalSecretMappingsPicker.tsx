import { useApi } from '@backstage/core-plugin-api';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { ScaffolderField } from '@backstage/plugin-scaffolder-react/alpha';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import AddIcon from '@material-ui/icons/Add';
import Alert from '@material-ui/lab/Alert';
import type { StoreStatusDto } from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import useAsync from 'react-use/esm/useAsync';
import { externalSecretsApiRef } from '../../api/ExternalSecretsApi';
import { serverMessageOf, statusCodeOf } from '../../lib/statusCodeOf';
import { MappingRow, type RemoteKeyChoices } from './MappingRow';
import { StoreSelect } from './StoreSelect';
import { findSelectedStore, storeLabel, toSelectedStore } from './storeOptions';
import type { ExternalSecretMapping } from './types';
import { useStoreKeys } from './useStoreKeys';
import {
  type ExternalSecretMappingsDraft,
  validateMappings,
} from './validateMappings';

const STORES_PERMISSION = 'external-secrets.stores.read';
const KEYS_PERMISSION = 'external-secrets.stores.keys.read';

const emptyMapping = (): ExternalSecretMapping => ({
  secretKey: '',
  remoteRef: { key: '' },
});

function isBlank(mapping: ExternalSecretMapping): boolean {
  return (
    !mapping.secretKey && !mapping.remoteRef.key && !mapping.remoteRef.property
  );
}

/**
 * The `ExternalSecretMappingsPicker` scaffolder field: choose a Ready store,
 * then map remote keys (suggested from the key NAMES the store can read; any
 * key may be typed, one outside the list is flagged with a warning) to Secret
 * keys, validated while typing. Its value is
 * `{ store: { kind, name, namespace?, cluster? }, data: [{ secretKey, remoteRef: { key, property? } }] }`.
 */
export function ExternalSecretMappingsPicker(
  props: FieldExtensionComponentProps<ExternalSecretMappingsDraft | undefined>,
) {
  const { formData, onChange, schema, uiSchema, rawErrors, required, errors } =
    props;
  const disabled = props.disabled || uiSchema?.['ui:disabled'] === true;
  const api = useApi(externalSecretsApiRef);
  const storesState = useAsync(() => api.getStores(), [api]);
  const stores = storesState.value?.stores ?? [];
  const selected = findSelectedStore(stores, formData?.store);
  const keysState = useStoreKeys(selected);

  const rows = formData?.data?.length ? formData.data : [emptyMapping()];
  const issues = validateMappings({ ...formData, data: rows });
  const showAllErrors = (rawErrors?.length ?? 0) > 0;

  // An untouched field stays empty, so an optional picker does not block the form.
  const emit = (next: ExternalSecretMappingsDraft) => {
    const data = next.data ?? [];
    onChange(!next.store && data.every(isBlank) ? undefined : next);
  };
  const setRows = (data: ExternalSecretMapping[]) =>
    emit({ ...formData, data });
  const selectStore = (store: StoreStatusDto) =>
    emit({ ...formData, store: toSelectedStore(store), data: rows });

  const choices: RemoteKeyChoices = {
    options: keysState.value?.keys ?? [],
    listed: !keysState.loading && !!keysState.value,
    complete: keysState.value?.complete === true,
    store: selected ? storeLabel(selected, false) : '',
    loading: keysState.loading,
  };
  const idPrefix = props.idSchema?.$id ?? 'external-secret-mappings';

  return (
    <ScaffolderField
      rawErrors={rawErrors}
      rawDescription={
        (uiSchema?.['ui:description'] as string | undefined) ??
        schema.description
      }
      required={required}
      disabled={disabled}
      errors={errors}
    >
      <Typography variant="subtitle1" component="h3">
        {schema.title ?? 'Secret mappings'}
      </Typography>
      <StoresProblem
        error={storesState.error}
        loading={storesState.loading}
        missing={
          storesState.value && formData?.store && !selected
            ? formData.store
            : undefined
        }
      />
      <StoreSelect
        id={`${idPrefix}-store`}
        stores={stores}
        selected={selected}
        disabled={disabled || storesState.loading || !!storesState.error}
        error={showAllErrors ? issues.store : undefined}
        onSelect={selectStore}
      />
      {selected && (
        <KeysNotice
          store={storeLabel(selected, false)}
          error={keysState.error}
          truncated={keysState.value?.truncated === true}
          incomplete={
            keysState.value && !keysState.value.complete
              ? keysState.value.message ??
                `${storeLabel(
                  selected,
                  false,
                )} may hold keys that are not listed.`
              : undefined
          }
          unavailable={
            !keysState.loading &&
            !keysState.error &&
            !keysState.value &&
            selected.ready
          }
        />
      )}
      <Box role="list" aria-label="Secret key mappings" mt={1}>
        {rows.map((mapping, index) => (
          <Box role="listitem" key={index}>
            <MappingRow
              id={`${idPrefix}-mapping-${index}`}
              index={index}
              mapping={mapping}
              issues={issues.rows[index] ?? {}}
              choices={choices}
              showAllErrors={showAllErrors}
              disabled={disabled}
              canRemove={rows.length > 1}
              onChange={next =>
                setRows(rows.map((row, i) => (i === index ? next : row)))
              }
              onRemove={() => setRows(rows.filter((_, i) => i !== index))}
            />
          </Box>
        ))}
      </Box>
      <Box>
        <Button
          startIcon={<AddIcon />}
          disabled={disabled}
          onClick={() => setRows([...rows, emptyMapping()])}
        >
          Add mapping
        </Button>
      </Box>
    </ScaffolderField>
  );
}

/** Why the stores cannot be listed, or that the value names an unknown store. */
function StoresProblem(props: {
  error?: Error;
  loading: boolean;
  missing?: { kind: string; name: string; namespace?: string };
}) {
  if (props.loading) {
    return <Typography variant="body2">Loading stores…</Typography>;
  }
  if (props.error && statusCodeOf(props.error) === 403) {
    return (
      <Alert severity="warning">
        You may not list the secret stores: ask a Backstage admin for the{' '}
        <code>{STORES_PERMISSION}</code> permission.
      </Alert>
    );
  }
  if (props.error) {
    return (
      <Alert severity="error">
        Could not list the secret stores: {serverMessageOf(props.error)}
      </Alert>
    );
  }
  if (props.missing) {
    const { kind, name, namespace } = props.missing;
    return (
      <Alert severity="warning">
        {kind} {namespace ? `${namespace}/` : ''}
        {name} is not among the configured stores: choose another one.
      </Alert>
    );
  }
  return null;
}

/** Where the remote key suggestions come from, and why they may not be all the keys. */
function KeysNotice(props: {
  store: string;
  error?: Error;
  truncated: boolean;
  /** Why the list is not every key the store can read (the server's message). */
  incomplete?: string;
  unavailable: boolean;
}) {
  if (props.error && statusCodeOf(props.error) === 403) {
    return (
      <Alert severity="info">
        Type the remote keys yourself: suggestions from {props.store} need the{' '}
        <code>{KEYS_PERMISSION}</code> permission, which you do not have.
      </Alert>
    );
  }
  if (props.error) {
    return (
      <Alert severity="warning">
        Could not list the keys of {props.store}: {serverMessageOf(props.error)}
        . Type the remote keys yourself.
      </Alert>
    );
  }
  if (props.truncated) {
    return (
      <Alert severity="info">
        {props.store} has more keys than are suggested: you may type any key.
      </Alert>
    );
  }
  if (props.incomplete) {
    return (
      <Alert severity="info">{props.incomplete} You may type any key.</Alert>
    );
  }
  if (props.unavailable) {
    return (
      <Alert severity="info">
        No key list for {props.store}: type the remote keys yourself.
      </Alert>
    );
  }
  return null;
}
