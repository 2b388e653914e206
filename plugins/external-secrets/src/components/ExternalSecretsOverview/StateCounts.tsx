import type {
  ExternalSecretState,
  OverviewResponse,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import Box from '@material-ui/core/Box';
import Paper from '@material-ui/core/Paper';
import Typography from '@material-ui/core/Typography';
import { ExternalSecretStateBadge } from '../StateBadge';

const ORDER: ExternalSecretState[] = [
  'Synced',
  'Error',
  'Pending',
  'NotFound',
  'Unsupported',
];

/** How many ExternalSecrets are in each state, across the catalog. */
export function StateCounts(props: { counts: OverviewResponse['counts'] }) {
  return (
    <Box
      display="flex"
      flexWrap="wrap"
      component="ul"
      p={0}
      m={0}
      aria-label="ExternalSecrets by state"
      style={{ listStyle: 'none', gap: 16 }}
    >
      {ORDER.map(state => (
        <Paper component="li" key={state} variant="outlined">
          <Box px={3} py={2} minWidth={140}>
            <Typography variant="h4" component="p">
              {props.counts[state] ?? 0}
            </Typography>
            <ExternalSecretStateBadge state={state} />
          </Box>
        </Paper>
      ))}
    </Box>
  );
}
