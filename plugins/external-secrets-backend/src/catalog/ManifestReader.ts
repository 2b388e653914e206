import { UrlReaderService } from '@backstage/backend-plugin-api';
import {
  ANNOTATION_LOCATION,
  ANNOTATION_SOURCE_LOCATION,
  Entity,
  parseLocationRef,
} from '@backstage/catalog-model';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The text of one declared manifest location, or why it could not be read. */
export type ManifestText =
  | { location: string; ok: true; text: string }
  | { location: string; ok: false; message: string };

/**
 * Reads the ExternalSecret manifests an entity declares in
 * `external-secrets.io/manifests`. Absolute URLs go through the UrlReader (so the
 * integrations' credentials and allow-lists apply); relative paths resolve
 * against the entity's source location. A `file:` location (local catalog
 * files, as in the demo) may only reach files inside its own folder.
 */
export class ManifestReader {
  constructor(private readonly urlReader: UrlReaderService) {}

  async read(entity: Entity, locations: string[]): Promise<ManifestText[]> {
    return Promise.all(
      locations.map(location => this.readOne(entity, location)),
    );
  }

  private async readOne(
    entity: Entity,
    location: string,
  ): Promise<ManifestText> {
    try {
      if (/^https?:\/\//.test(location)) {
        return { location, ok: true, text: await this.readUrl(location) };
      }
      const base = baseLocation(entity);
      if (!base) {
        return failed(
          location,
          'is relative, but the entity has no backstage.io/source-location or managed-by-location to resolve it against',
        );
      }
      if (base.type === 'file') {
        return {
          location,
          ok: true,
          text: await readInside(base.target, location),
        };
      }
      return {
        location,
        ok: true,
        text: await this.readUrl(new URL(location, base.target).toString()),
      };
    } catch (e) {
      return failed(location, (e as Error).message);
    }
  }

  private async readUrl(url: string): Promise<string> {
    const response = await this.urlReader.readUrl(url);
    return (await response.buffer()).toString('utf8');
  }
}

function failed(location: string, why: string): ManifestText {
  return {
    location,
    ok: false,
    message: `manifest "${location}" (annotation external-secrets.io/manifests) ${why}`,
  };
}

function baseLocation(entity: Entity) {
  const annotations = entity.metadata.annotations ?? {};
  const ref =
    annotations[ANNOTATION_SOURCE_LOCATION] ?? annotations[ANNOTATION_LOCATION];
  return ref ? parseLocationRef(ref) : undefined;
}

async function readInside(
  fileLocation: string,
  relative: string,
): Promise<string> {
  const locationPath = fileLocation.startsWith('file:')
    ? fileURLToPath(fileLocation)
    : fileLocation;
  const folder = path.dirname(path.resolve(locationPath));
  const target = path.resolve(folder, relative);
  if (target !== folder && !target.startsWith(`${folder}${path.sep}`)) {
    throw new Error(
      `leaves the folder of the entity's file location (${folder})`,
    );
  }
  return readFile(target, 'utf8');
}
