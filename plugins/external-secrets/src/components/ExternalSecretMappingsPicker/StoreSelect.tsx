import TextField from '@material-ui/core/TextField';
import type { StoreStatusDto } from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import { notReadyText, storeId, storeLabel } from './storeOptions';

/**
 * A native select of the configured stores: Ready stores can be chosen, the
 * others are listed disabled with the reason they are not Ready.
 */
export function StoreSelect(props: {
  id: string;
  stores: StoreStatusDto[];
  selected?: StoreStatusDto;
  error?: string;
  disabled?: boolean;
  onSelect: (store: StoreStatusDto) => void;
}) {
  const { id, stores, selected, error, disabled, onSelect } = props;
  const clusters = new Set(stores.map(store => store.cluster));
  const showCluster = clusters.size > 1;
  const notReadySelected = selected && !selected.ready;
  const helperText =
    error ??
    (notReadySelected
      ? `This store is ${notReadyText(selected)}`
      : 'Only Ready stores can be chosen');
  return (
    <TextField
      id={id}
      select
      fullWidth
      required
      label="Store"
      variant="outlined"
      margin="dense"
      value={selected ? storeId(selected) : ''}
      disabled={disabled}
      error={Boolean(error || notReadySelected)}
      helperText={helperText}
      SelectProps={{ native: true }}
      InputLabelProps={{ shrink: true }}
      onChange={event => {
        const store = stores.find(s => storeId(s) === event.target.value);
        if (store) onSelect(store);
      }}
    >
      <option value="" disabled>
        {stores.length > 0 ? 'Choose a store' : 'No stores configured'}
      </option>
      {stores.map(store => (
        <option
          key={storeId(store)}
          value={storeId(store)}
          disabled={!store.ready}
        >
          {storeLabel(store, showCluster)}
          {store.ready ? '' : ` — ${notReadyText(store)}`}
        </option>
      ))}
    </TextField>
  );
}
