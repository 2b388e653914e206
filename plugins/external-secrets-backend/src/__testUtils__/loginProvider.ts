import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  createFakeProvider,
  externalSecretsProvidersExtensionPoint,
  ProviderError,
  SecretsProvider,
  StoreContext,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-node';
import {
  FakeProviderSpec,
  SecretKeySelector,
  SecretStore,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-common';

/** The credential value the `login` provider's backend refuses. */
export const REVOKED_TOKEN = 'revoked';

/** What the `login` provider was asked to do, counted per call. */
export type LoginProviderCalls = {
  /** validateStore calls, with the namespace their context resolves refs in. */
  validations: (string | undefined)[];
  /** newClient calls (an ExternalSecret's reads start with one). */
  clients: (string | undefined)[];
  /** getSecret calls: values read for ExternalSecrets. */
  reads: number;
};

export type LoginProviderSpec = FakeProviderSpec & {
  auth: { secretRef: SecretKeySelector };
};

export type LoginProviderOptions = {
  /** The `spec.provider` key it serves. Default `login`. */
  name?: string;
  /** Where the store's credential ref is. Default `auth.secretRef`. */
  credentialRef?: (spec: any) => SecretKeySelector | undefined;
  /** The data it serves. Default: the spec's `data`, as the fake provider's. */
  data?: FakeProviderSpec['data'];
};

/**
 * A test provider with credentials, as a real backend has: it logs in with the
 * token of its credential ref (`spec.provider.login.auth.secretRef` by
 * default, resolved like any store's credential ref) and refuses the token
 * `revoked` with a 401, then serves the fake provider's data. Every call is
 * counted so a test can prove that nothing was read through a store. Against
 * a real apiserver (whose CRD prunes unknown providers) it can serve an ESO
 * provider key with `name`, `credentialRef` and `data`.
 */
export function loginProvider(
  calls: LoginProviderCalls,
  options: LoginProviderOptions = {},
): SecretsProvider {
  const name = options.name ?? 'login';
  const credentialRef =
    options.credentialRef ??
    ((spec: LoginProviderSpec | undefined) => spec?.auth?.secretRef);
  const fake = createFakeProvider();
  const specOf = (store: SecretStore) =>
    (store.spec.provider as Record<string, unknown>)[name] as any;
  const asFake = (store: SecretStore): SecretStore => ({
    ...store,
    spec: {
      ...store.spec,
      provider: { fake: { data: options.data ?? specOf(store)?.data } },
    },
  });
  const login = async (store: SecretStore, context: StoreContext) => {
    const token = await context.readSecretKey(credentialRef(specOf(store))!);
    if (token.text() === REVOKED_TOKEN) {
      throw new Error(
        'login failed: HTTP 401 Unauthorized, the token was revoked (request id req-7)',
      );
    }
  };
  return {
    ...fake,
    name,
    validateStoreSpec: store =>
      credentialRef(specOf(store))
        ? fake.validateStoreSpec(asFake(store))
        : [
            {
              severity: 'error',
              path: `spec.provider.${name}`,
              message: `spec.provider.${name}: no credential ref`,
            },
          ],
    async validateStore(store, context) {
      calls.validations.push(context.namespace);
      try {
        await login(store, context);
        return { ready: true, reason: 'Valid', message: 'logged in' };
      } catch (e) {
        return {
          ready: false,
          reason: 'InvalidProviderConfig',
          message: (e as Error).message,
        };
      }
    },
    async newClient(store, context) {
      calls.clients.push(context.namespace);
      try {
        await login(store, context);
      } catch (e) {
        throw new ProviderError('INVALID_CONFIG', (e as Error).message, {
          provider: name,
        });
      }
      const inner = await fake.newClient(asFake(store), context);
      return {
        getSecret: async ref => {
          calls.reads++;
          return inner.getSecret(ref);
        },
        findSecrets: find => inner.findSecrets(find),
        close: () => inner.close(),
      };
    },
  };
}

/** The `login` provider as a backend module, for startReconcilerTestBackend's extraFeatures. */
export function loginProviderModule(
  calls: LoginProviderCalls,
  options?: LoginProviderOptions,
) {
  return createBackendModule({
    pluginId: 'external-secrets',
    moduleId: 'login-provider',
    register(reg) {
      reg.registerInit({
        deps: { providers: externalSecretsProvidersExtensionPoint },
        async init({ providers }) {
          providers.addProvider(loginProvider(calls, options));
        },
      });
    },
  });
}

export function newLoginProviderCalls(): LoginProviderCalls {
  return { validations: [], clients: [], reads: 0 };
}
