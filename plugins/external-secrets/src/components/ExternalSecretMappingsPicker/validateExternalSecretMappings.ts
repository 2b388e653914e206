import type { ApiHolder } from '@backstage/core-plugin-api';
import type { CustomFieldValidator } from '@backstage/plugin-scaffolder-react';
import { externalSecretsApiRef } from '../../api/ExternalSecretsApi';
import { findSelectedStore, notReadyText } from './storeOptions';
import {
  type ExternalSecretMappingsDraft,
  describeIssues,
  validateMappings,
} from './validateMappings';

/**
 * The field's `validation`: run by the scaffolder before the next step and the
 * Review step. Adds one error per problem: a missing or not Ready store, no
 * mapping, a missing remote key, an invalid or repeated secret key, and a
 * remote key the store does not hold (checked only when the store's full key
 * list can be read; otherwise the action checks it at run time).
 *
 * @public
 */
export const validateExternalSecretMappings: CustomFieldValidator<
  ExternalSecretMappingsDraft | undefined
> = async (value, validation, context) => {
  const messages = describeIssues(validateMappings(value));
  if (messages.length === 0 && value?.store) {
    messages.push(...(await checkAgainstStore(value, context.apiHolder)));
  }
  messages.forEach(message => validation.addError(message));
};

async function checkAgainstStore(
  value: ExternalSecretMappingsDraft,
  apiHolder: ApiHolder,
): Promise<string[]> {
  const api = apiHolder.get(externalSecretsApiRef);
  if (!api) return [];
  try {
    const { stores } = await api.getStores();
    const store = findSelectedStore(stores, value.store);
    if (!store) {
      return [
        `Store ${value.store?.kind} ${value.store?.name} is not configured`,
      ];
    }
    if (!store.ready) {
      return [`Store ${store.kind} ${store.name} is ${notReadyText(store)}`];
    }
    const { keys, truncated } = await api.listStoreKeys(store);
    if (truncated) return [];
    const known = new Set(keys);
    return (value.data ?? [])
      .map((mapping, index) =>
        known.has(mapping.remoteRef.key)
          ? undefined
          : `Mapping ${index + 1}: remote key "${
              mapping.remoteRef.key
            }" is not in ${store.kind} ${store.name}`,
      )
      .filter((message): message is string => Boolean(message));
  } catch {
    // No permission or the backend is unreachable: the action validates again at run time.
    return [];
  }
}
