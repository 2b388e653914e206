import type {
  FakeProviderSpec,
  SecretStore,
  SecretStoreRef,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import { SEED_STORE_REF } from './parsedExternalSecret';

/** A store served by the `fake` provider. */
export function fakeStore(
  data: FakeProviderSpec['data'],
  ref: SecretStoreRef = SEED_STORE_REF,
): SecretStore {
  return {
    apiVersion: 'external-secrets.io/v1',
    kind: ref.kind,
    metadata: {
      name: ref.name,
      ...(ref.kind === 'SecretStore' ? { namespace: 'my-namespace' } : {}),
    },
    spec: { provider: { fake: { data } } },
  };
}
