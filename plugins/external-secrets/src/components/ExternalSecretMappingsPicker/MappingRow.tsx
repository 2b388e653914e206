import Grid from '@material-ui/core/Grid';
import IconButton from '@material-ui/core/IconButton';
import TextField from '@material-ui/core/TextField';
import { makeStyles } from '@material-ui/core/styles';
import DeleteIcon from '@material-ui/icons/Delete';
import Autocomplete, {
  createFilterOptions,
} from '@material-ui/lab/Autocomplete';
import { useState } from 'react';
import type { ExternalSecretMapping } from './types';
import type { MappingRowIssues } from './validateMappings';

/** Long key lists: render the best matches only, the user narrows by typing. */
const filterKeys = createFilterOptions<string>({ limit: 100 });

const useStyles = makeStyles(theme => ({
  // A warning, not an error: the key may exist (created since the listing,
  // or outside a partial list); the action checks it as the reconciler would.
  notListed: { color: theme.palette.warning.dark },
}));

/**
 * What the remote key input offers: the store's key names as suggestions.
 * Any key may be typed; one outside the list gets a "not in the list" warning.
 */
export type RemoteKeyChoices = {
  options: string[];
  /** Whether a key list was obtained (no warning without one). */
  listed: boolean;
  /** Whether `options` is every key the store can read. */
  complete: boolean;
  /** The store as the warning names it, e.g. `ClusterSecretStore infisical`. */
  store: string;
  loading: boolean;
};

/** The "not in the list" warning for `key`, or undefined when it is listed or nothing is known. */
function notListedWarning(
  key: string,
  choices: RemoteKeyChoices,
): string | undefined {
  if (!key || !choices.listed || choices.options.includes(key))
    return undefined;
  return choices.complete
    ? `Not in the list of keys ${choices.store} can read: check the name`
    : `Not in the partial list of keys ${choices.store} can read`;
}

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
  const classes = useStyles();
  const [touched, setTouched] = useState({
    remoteKey: false,
    secretKey: false,
  });
  const number = index + 1;
  const remoteKeyError =
    touched.remoteKey || showAllErrors ? issues.remoteKey : undefined;
  const remoteKeyWarning = notListedWarning(mapping.remoteRef.key, choices);
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
          freeSolo
          options={choices.options}
          filterOptions={filterKeys}
          loading={choices.loading}
          disabled={disabled}
          value={mapping.remoteRef.key || null}
          onChange={(_event, value) => setRemoteKey(value ?? '')}
          onInputChange={(_event, value, reason) => {
            if (reason === 'input') setRemoteKey(value);
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
              helperText={
                remoteKeyError ??
                (remoteKeyWarning ? (
                  <span className={classes.notListed}>{remoteKeyWarning}</span>
                ) : (
                  ' '
                ))
              }
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
