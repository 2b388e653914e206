/** The tag filter of a `dataFrom[].find`, or why it cannot be honoured. */
export type TagFilter = { slugs: string[] } | { invalid: string[] };

/**
 * Maps ESO's `find.tags` (a key → value map) to Infisical tag slugs. Infisical
 * tags have a slug and no value, so the map KEY is the tag slug and the value
 * must be empty or repeat the slug (`{backend: ""}` or `{backend: backend}`).
 * Any other value is refused rather than ignored: a `{env: prod}` filter that
 * silently matched every secret tagged `env` would be wrong. Several tags mean
 * ALL of them (a secret must carry every listed tag), as `find.tags` does in
 * ESO's other providers.
 */
export function tagSlugsFromFind(
  tags: Record<string, string> | undefined,
): TagFilter {
  const entries = Object.entries(tags ?? {});
  const invalid = entries
    .filter(([slug, value]) => value !== '' && value !== slug)
    .map(([slug, value]) => `${slug}=${value}`);
  if (invalid.length) return { invalid };
  return { slugs: entries.map(([slug]) => slug).sort() };
}
