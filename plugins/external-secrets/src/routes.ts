import { createRouteRef } from '@backstage/core-plugin-api';

/**
 * The admin page's route. A legacy route ref, converted for the new frontend
 * system in `alpha/`, so both systems share one.
 */
export const rootRouteRef = createRouteRef({ id: 'external-secrets' });
