import { UrlReaderService } from '@backstage/backend-plugin-api';
import {
  ANNOTATION_LOCATION,
  ANNOTATION_SOURCE_LOCATION,
  Entity,
  parseLocationRef,
} from '@backstage/catalog-model';
import { pathToFileURL } from 'node:url';

/** The text of one declared manifest location, or why it could not be read. */
export type ManifestText =
  | { location: string; ok: true; text: string }
  | { location: string; ok: false; message: string };

/** Default of `externalSecrets.manifests.maxBytes`. */
export const DEFAULT_MANIFEST_MAX_BYTES = 256 * 1024;

type ReadUrlResponse = Awaited<ReturnType<UrlReaderService['readUrl']>>;

/**
 * Reads the ExternalSecret manifests an entity declares in
 * `external-secrets.io/manifests`, only through Backstage's UrlReader (so the
 * integrations' credentials and `backend.reading.allow` apply; there is no
 * local file access of our own: a `file:` location is read only if a
 * UrlReader is registered for it). Every location resolves against the folder
 * of the location the CATALOG set (`backstage.io/managed-by-location`; the
 * author-settable `source-location` only when that is absent and it is a URL)
 * and must stay inside that folder. Reads stop at `maxBytes`.
 */
export class ManifestReader {
  constructor(private readonly urlReader: UrlReaderService) {}

  async read(
    entity: Entity,
    locations: string[],
    maxBytes: number = DEFAULT_MANIFEST_MAX_BYTES,
  ): Promise<ManifestText[]> {
    return Promise.all(
      locations.map(location => this.readOne(entity, location, maxBytes)),
    );
  }

  private async readOne(
    entity: Entity,
    location: string,
    maxBytes: number,
  ): Promise<ManifestText> {
    const base = baseLocation(entity);
    if (!base) {
      return failed(
        location,
        'cannot be resolved: the entity has no backstage.io/managed-by-location (set by the catalog) to read it relative to',
      );
    }
    const target = resolveInside(base, location);
    if (typeof target === 'string') return failed(location, target);
    try {
      const response = await this.urlReader.readUrl(target.toString());
      return {
        location,
        ok: true,
        text: (await readCapped(response, maxBytes)).toString('utf8'),
      };
    } catch (e) {
      return failed(location, (e as Error).message);
    }
  }
}

function failed(location: string, why: string): ManifestText {
  return {
    location,
    ok: false,
    message: `manifest "${location}" (annotation external-secrets.io/manifests) ${why}`,
  };
}

/**
 * The catalog overwrites managed-by-location on every entity it emits, so the
 * author cannot choose it; source-location is the author's, and is used only
 * for entities without the former, and never as a `file:` base.
 */
function baseLocation(entity: Entity): URL | undefined {
  const annotations = entity.metadata.annotations ?? {};
  const managedBy = annotations[ANNOTATION_LOCATION];
  const source = annotations[ANNOTATION_SOURCE_LOCATION];
  try {
    if (managedBy) return toUrl(parseLocationRef(managedBy));
    if (source) {
      const ref = parseLocationRef(source);
      return ref.type === 'url' ? toUrl(ref) : undefined;
    }
  } catch {
    return undefined;
  }
  return undefined;
}

function toUrl(ref: { type: string; target: string }): URL | undefined {
  if (ref.type === 'url') return new URL(ref.target);
  if (ref.type === 'file') {
    return ref.target.startsWith('file:')
      ? new URL(ref.target)
      : pathToFileURL(ref.target);
  }
  return undefined;
}

/** Encoded separators that a reader might decode after our check. */
const ENCODED_SEPARATOR = /%2f|%5c|\\/i;

/**
 * The URL of `location` resolved against the base's folder, or why it is
 * refused. URL resolution already folds `..` and `%2e%2e` segments, so a
 * prefix check on the folder's path is enough once encoded separators are out.
 */
function resolveInside(base: URL, location: string): URL | string {
  const folder = new URL('./', base);
  if (ENCODED_SEPARATOR.test(location)) {
    return 'contains an encoded or backslash path separator';
  }
  let target: URL;
  try {
    target = new URL(location, folder);
  } catch {
    return 'is not a valid relative path or URL';
  }
  const inside =
    target.protocol === folder.protocol &&
    target.host === folder.host &&
    target.username === folder.username &&
    target.pathname.startsWith(folder.pathname) &&
    target.pathname.length > folder.pathname.length;
  return inside
    ? target
    : `resolves outside the folder of the entity's catalog location (${
        folder.protocol === 'file:' ? 'a local folder' : folder.origin
      }); manifests must live next to the catalog file or below it`;
}

/** The body, refused as soon as it grows past maxBytes (streamed when the reader can). */
async function readCapped(
  response: ReadUrlResponse,
  maxBytes: number,
): Promise<Buffer> {
  const tooLarge = () =>
    new Error(
      `is larger than ${maxBytes} bytes (externalSecrets.manifests.maxBytes): split it or raise the limit`,
    );
  if (!response.stream) {
    const buffer = await response.buffer();
    if (buffer.length > maxBytes) throw tooLarge();
    return buffer;
  }
  const stream = response.stream();
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of stream) {
      const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
      total += bytes.length;
      if (total > maxBytes) throw tooLarge();
      chunks.push(bytes);
    }
  } finally {
    stream.destroy();
  }
  return Buffer.concat(chunks);
}
