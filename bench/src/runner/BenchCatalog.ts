/**
 * An indexed in-memory catalog with the two calls the plugin makes
 * (`streamEntities` with an any-of "annotation exists" filter, and
 * `getEntityByRef`). Backstage's InMemoryCatalogClient is not used: it builds
 * a Map of every entity on each `getEntityByRef` and re-filters the whole
 * list for every page, which would bill the test double's O(N) work to the
 * plugin. A real catalog costs a loopback HTTP call per request instead.
 */
import { createServiceFactory } from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  catalogServiceRef,
  type CatalogService,
} from '@backstage/plugin-catalog-node';

const PAGE_SIZE = 500;

type Filter = Record<string, string | symbol | (string | symbol)[]>;

function matches(entity: Entity, filter: Filter): boolean {
  return Object.entries(filter).every(([key, expected]) => {
    const prefix = 'metadata.annotations.';
    if (!key.startsWith(prefix) || expected !== CATALOG_FILTER_EXISTS) {
      throw new Error(`BenchCatalog: unsupported filter ${key}`);
    }
    return (
      entity.metadata.annotations?.[key.slice(prefix.length)] !== undefined
    );
  });
}

export function benchCatalogFactory(entities: Entity[]) {
  const byRef = new Map(entities.map(e => [stringifyEntityRef(e), e]));
  const catalog: Partial<CatalogService> = {
    async getEntityByRef(ref) {
      return byRef.get(stringifyEntityRef(parseEntityRef(ref)));
    },
    async *streamEntities(request) {
      const filters = [request?.filter ?? []].flat() as Filter[];
      const selected = filters.length
        ? entities.filter(e => filters.some(f => matches(e, f)))
        : entities;
      for (let i = 0; i < selected.length; i += PAGE_SIZE) {
        yield selected.slice(i, i + PAGE_SIZE);
      }
    },
  };
  return createServiceFactory({
    service: catalogServiceRef,
    deps: {},
    // Other CatalogService methods are not called by the plugin.
    factory: () => catalog as CatalogService,
  });
}
