import { ExternalSecretStatusDto } from '@external-secrets-backstage/backstage-plugin-external-secrets-common';

/**
 * The last status answer per entity, kept with the version of the rows it was
 * built from (`StatusStore.entityStatusVersion`). The status route reads the
 * version first, for every request, after authorizing it; an equal version
 * means the same rows (what lets the route answer 304 to a matching ETag), so
 * the kept answer is served instead of reading and mapping the rows again.
 * A change any replica records changes the version, so nothing stale is
 * served; the answer carries no caller-specific data, and a caller reaches it
 * only after its own authorization. The least recently used entity goes first
 * past `maxEntities`.
 */
export class StatusAnswerCache {
  private readonly entries = new Map<
    string,
    { version: string; externalSecrets: ExternalSecretStatusDto[] }
  >();

  constructor(private readonly maxEntities: number) {}

  get(
    entityRef: string,
    version: string,
  ): ExternalSecretStatusDto[] | undefined {
    const entry = this.entries.get(entityRef);
    if (!entry || entry.version !== version) return undefined;
    this.entries.delete(entityRef);
    this.entries.set(entityRef, entry);
    return entry.externalSecrets;
  }

  set(
    entityRef: string,
    version: string,
    externalSecrets: ExternalSecretStatusDto[],
  ): void {
    this.entries.delete(entityRef);
    this.entries.set(entityRef, { version, externalSecrets });
    if (this.entries.size > this.maxEntities) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }
}
