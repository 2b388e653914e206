/**
 * The Backstage signals channel on which the backend announces that an
 * entity's ExternalSecret status changed; the card and tab reload on it. The
 * message says only that and when: the status itself is read through the
 * permission-checked API.
 *
 * @public
 */
export function externalSecretsStatusChannel(entityRef: string): string {
  return `external-secrets:status:${entityRef}`;
}

/**
 * What a status signal carries: nothing but the time of the change.
 *
 * @public
 */
export type ExternalSecretsStatusSignal = { changedAt: string };
