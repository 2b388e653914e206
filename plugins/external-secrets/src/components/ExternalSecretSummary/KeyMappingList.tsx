import type {
  KeyMappingDto,
  StoreRefDto,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import Box from '@material-ui/core/Box';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { formatKeyMapping } from '../../lib/formatKeyMapping';
import { KeyMappingStateBadge } from '../StateBadge';

const useStyles = makeStyles(theme => ({
  mapping: {
    fontFamily: 'monospace',
    wordBreak: 'break-all',
  },
  reason: {
    color: theme.palette.error.main,
    whiteSpace: 'pre-wrap',
  },
}));

/** Whether a mapping's message explains a problem (rather than a success). */
function isProblem(key: KeyMappingDto): boolean {
  return key.state !== 'synced';
}

/**
 * One line per key: `secretKey ← store:remoteRef.key[.property]`, its own
 * state, and for a failing key the real reason the backend recorded.
 */
export function KeyMappingList(props: {
  keys: KeyMappingDto[];
  defaultStore?: StoreRefDto;
  /** Labels the list for assistive technology. */
  label: string;
}) {
  const classes = useStyles();
  return (
    <List dense disablePadding aria-label={props.label}>
      {props.keys.map(key => (
        <ListItem key={`${key.source}:${key.secretKey ?? ''}`} disableGutters>
          <ListItemText
            disableTypography
            primary={
              <Box display="flex" alignItems="center" flexWrap="wrap">
                <Box mr={2}>
                  <KeyMappingStateBadge state={key.state} />
                </Box>
                <Typography variant="body2" className={classes.mapping}>
                  {formatKeyMapping(key, props.defaultStore)}
                </Typography>
              </Box>
            }
            secondary={
              isProblem(key) && (key.message || key.reason) ? (
                <Typography variant="body2" className={classes.reason}>
                  {key.message ?? key.reason}
                  {key.message && key.reason ? ` (${key.reason})` : ''}
                </Typography>
              ) : undefined
            }
          />
        </ListItem>
      ))}
    </List>
  );
}
