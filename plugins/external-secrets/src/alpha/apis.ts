import {
  ApiBlueprint,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import { externalSecretsApiRef } from '../api/ExternalSecretsApi';
import { ExternalSecretsClient } from '../api/ExternalSecretsClient';

/** The REST client over discovery + fetch. @alpha */
export const externalSecretsApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: externalSecretsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new ExternalSecretsClient({ discoveryApi, fetchApi }),
    }),
});
