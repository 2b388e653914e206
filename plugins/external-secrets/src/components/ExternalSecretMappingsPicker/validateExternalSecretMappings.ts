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
 * mapping, a missing remote key, an invalid or repeated secret key. A remote
 * key outside the store's key list does not block the form: the list is a
 * cached snapshot, the field shows a "not in the list" warning, and the
 * action's validateRemoteKeys resolves each key as the reconciler does.
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
    return [];
  } catch {
    // No permission or the backend is unreachable: the action validates again at run time.
    return [];
  }
}
