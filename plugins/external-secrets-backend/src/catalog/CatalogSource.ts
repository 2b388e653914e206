import { AuthService } from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { Entity } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  BINDING_ANNOTATIONS,
  bindingFromEntity,
  EntityBinding,
} from './entityBinding';

/** A catalog entity that binds ExternalSecrets, with its parsed binding. */
export type CatalogBinding = { entity: Entity; binding: EntityBinding };

/**
 * Every catalog entity carrying a binding annotation, as bindings, sorted by
 * entity ref so that the first claimant of an ExternalSecret is stable.
 */
export async function loadBindings(options: {
  catalog: CatalogService;
  auth: AuthService;
}): Promise<CatalogBinding[]> {
  const credentials = await options.auth.getOwnServiceCredentials();
  const found: CatalogBinding[] = [];
  const filter = BINDING_ANNOTATIONS.map(annotation => ({
    [`metadata.annotations.${annotation}`]: CATALOG_FILTER_EXISTS,
  }));
  for await (const page of options.catalog.streamEntities(
    {
      filter,
      fields: [
        'kind',
        'metadata.name',
        'metadata.namespace',
        'metadata.annotations',
        // Entity-declared manifests are allowed per owner (externalSecrets.manifests).
        'spec.owner',
      ],
    },
    { credentials },
  )) {
    for (const entity of page) {
      const binding = bindingFromEntity(entity);
      if (binding) found.push({ entity, binding });
    }
  }
  return found.sort((a, b) =>
    a.binding.entityRef.localeCompare(b.binding.entityRef),
  );
}
