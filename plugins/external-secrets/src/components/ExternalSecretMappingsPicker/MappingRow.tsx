import Grid from '@material-ui/core/Grid';
import IconButton from '@material-ui/core/IconButton';
import TextField from '@material-ui/core/TextField';
import DeleteIcon from '@material-ui/icons/Delete';
import Autocomplete, {
  createFilterOptions,
} from '@material-ui/lab/Autocomplete';
import { useState } from 'react';
import type { ExternalSecretMapping } from './types';
import type { MappingRowIssues } from './validateMappings';

/** Long key lists: render the best matches only, the user narrows by typing. */
const filterKeys = createFilterOptions<string>({ limit: 100 });

/** What the remote key input offers: the store's key names, or free text. */
export type RemoteKeyChoices = {
  options: string[];
  /** Whether keys outside `options` may be typed (list truncated or unavailable). */
  freeText: boolean;
  loading: boolean;
};

/**
 * One `data[]` mapping: remote key (autocompleted from the store's key names),
 * optional property, and the Secret key it becomes. Format and duplicate
 * errors show while typing; "required" errors once the input was left or the
 * form was submitted.
 */
export function MappingRow(props: {
  /** Unique in the page: the inputs' ids derive from it. */
  id: string;
  index: number;
  mapping: ExternalSecretMapping;
  issues: MappingRowIssues;
  choices: RemoteKeyChoices;
  showAllErrors: boolean;
  disabled?: boolean;
  canRemove: boolean;
  onChange: (mapping: ExternalSecretMapping) => void;
  onRemove: () => void;
}) {
  const { index, mapping, issues, choices, showAllErrors, disabled } = props;
  const [touched, setTouched] = useState({
    remoteKey: false,
    secretKey: false,
  });
  const number = index + 1;
  const remoteKeyError =
    touched.remoteKey || showAllErrors ? issues.remoteKey : undefined;
  const secretKeyError =
    mapping.secretKey || touched.secretKey || showAllErrors
      ? issues.secretKey
      : undefined;

  const setRemoteKey = (key: string) =>
    props.onChange({ ...mapping, remoteRef: { ...mapping.remoteRef, key } });
  const setProperty = (property: string) =>
    props.onChange({
      ...mapping,
      remoteRef: {
        key: mapping.remoteRef.key,
        ...(property ? { property } : {}),
      },
    });
  // Keep a key that came in with the value selectable even if the store lacks it.
  const options =
    mapping.remoteRef.key && !choices.options.includes(mapping.remoteRef.key)
      ? [mapping.remoteRef.key, ...choices.options]
      : choices.options;

  return (
    <Grid
      container
      spacing={1}
      alignItems="flex-start"
      role="group"
      aria-label={`Mapping ${number}`}
    >
      <Grid item xs={12} sm={5}>
        <Autocomplete<string, false, false, boolean>
          id={`${props.id}-remote-key`}
          freeSolo={choices.freeText}
          options={options}
          filterOptions={filterKeys}
          loading={choices.loading}
          disabled={disabled}
          value={mapping.remoteRef.key || null}
          onChange={(_event, value) => setRemoteKey(value ?? '')}
          onInputChange={(_event, value, reason) => {
            if (choices.freeText && reason === 'input') setRemoteKey(value);
          }}
          onBlur={() => setTouched(t => ({ ...t, remoteKey: true }))}
          renderInput={params => (
            <TextField
              {...params}
              label="Remote key"
              required
              variant="outlined"
              margin="dense"
              error={Boolean(remoteKeyError)}
              helperText={remoteKeyError ?? ' '}
            />
          )}
        />
      </Grid>
      <Grid item xs={12} sm={3}>
        <TextField
          id={`${props.id}-property`}
          label="Property"
          variant="outlined"
          margin="dense"
          fullWidth
          disabled={disabled}
          value={mapping.remoteRef.property ?? ''}
          onChange={event => setProperty(event.target.value)}
          helperText="Optional: a field of a JSON value"
        />
      </Grid>
      <Grid item xs={10} sm={3}>
        <TextField
          id={`${props.id}-secret-key`}
          label="Secret key"
          required
          variant="outlined"
          margin="dense"
          fullWidth
          disabled={disabled}
          value={mapping.secretKey}
          onChange={event =>
            props.onChange({ ...mapping, secretKey: event.target.value })
          }
          onBlur={() => setTouched(t => ({ ...t, secretKey: true }))}
          error={Boolean(secretKeyError)}
          helperText={secretKeyError ?? 'Key in the Kubernetes Secret'}
        />
      </Grid>
      <Grid item xs={2} sm={1}>
        <IconButton
          aria-label={`Remove mapping ${number}`}
          disabled={disabled || !props.canRemove}
          onClick={props.onRemove}
          style={{ marginTop: 8 }}
        >
          <DeleteIcon />
        </IconButton>
      </Grid>
    </Grid>
  );
}
