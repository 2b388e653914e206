import { CodeSnippet } from '@backstage/core-components';
import type { ExternalSecretStatusDto } from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { useMemo } from 'react';
import { buildExternalSecretYaml } from '../../lib/buildExternalSecretYaml';

/**
 * The ExternalSecret as declared (references only, never a value), ready to
 * copy into a repository or compare with what is deployed.
 */
export function ExternalSecretManifest(props: {
  externalSecret: ExternalSecretStatusDto;
}) {
  const es = props.externalSecret;
  const yaml = useMemo(() => buildExternalSecretYaml(es), [es]);
  const title = `${es.namespace}/${es.name}`;
  return (
    <Box component="section" aria-label={`Manifest of ${title}`} mb={2}>
      <Typography variant="subtitle1" component="h4">
        {title}{' '}
        <Typography component="span" variant="body2" color="textSecondary">
          ({es.origin === 'manifest' ? 'declared manifest' : `in ${es.cluster}`}
          )
        </Typography>
      </Typography>
      <CodeSnippet text={yaml} language="yaml" showCopyCodeButton />
    </Box>
  );
}
