/**
 * External Secrets for Backstage, for the new frontend system.
 *
 * @packageDocumentation
 */

import { externalSecretsFrontendPlugin } from './alpha/plugin';

export { externalSecretsApi } from './alpha/apis';
export { externalSecretsEntityCard } from './alpha/entityCards';
export { externalSecretsEntityContent } from './alpha/entityContents';
export { externalSecretsPage } from './alpha/pages';
export { externalSecretMappingsPickerFormField } from './alpha/formFields';

/** @alpha */
export default externalSecretsFrontendPlugin;
