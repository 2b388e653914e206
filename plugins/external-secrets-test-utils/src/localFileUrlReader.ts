import {
  createServiceFactory,
  UrlReaderService,
} from '@backstage/backend-plugin-api';
import {
  ReadUrlResponseFactory,
  urlReaderFactoriesServiceRef,
} from '@backstage/backend-defaults/urlReader';
import { Config } from '@backstage/config';
import { NotAllowedError } from '@backstage/errors';
import { createReadStream, realpathSync } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * DEMO AND TESTS ONLY: a UrlReader for `file:` URLs below fixed root folders,
 * so the demo's local catalog files can declare manifests while the plugin
 * itself reads nothing but through UrlReader. Symlinks are resolved before
 * the root check; only regular files are read (no `/dev/zero`, no FIFOs).
 * Production backends do not register it.
 *
 * @public
 */
export class LocalFileUrlReader implements UrlReaderService {
  private readonly roots: string[];

  constructor(roots: string[]) {
    this.roots = roots.map(root => realpathSync(resolve(root)));
  }

  /** Reads one regular file below a root; anything else is NotAllowed. */
  async readUrl(url: string) {
    const real = await realpath(fileURLToPath(url));
    if (!this.roots.some(root => real.startsWith(`${root}${sep}`))) {
      throw new NotAllowedError(
        `Reading ${url} is not allowed: it is outside the local file roots`,
      );
    }
    const stats = await stat(real);
    if (!stats.isFile()) {
      throw new NotAllowedError(`Reading ${url} is not allowed: not a file`);
    }
    return ReadUrlResponseFactory.fromReadable(createReadStream(real), {
      lastModifiedAt: stats.mtime,
    });
  }

  /** Not supported: only single files are read. */
  async readTree(): Promise<never> {
    throw new Error('LocalFileUrlReader does not implement readTree');
  }

  /** Not supported: only single files are read. */
  async search(): Promise<never> {
    throw new Error('LocalFileUrlReader does not implement search');
  }

  /** Names the reader and its roots in logs. */
  toString() {
    return `localFile{roots=${this.roots.length}}`;
  }
}

/**
 * Registers a LocalFileUrlReader with Backstage's UrlReader for the roots the
 * function reads from config (none: nothing registered).
 *
 * @public
 */
export function localFileUrlReaderFactory(roots: (config: Config) => string[]) {
  return createServiceFactory({
    service: urlReaderFactoriesServiceRef,
    deps: {},
    async factory() {
      return ({ config }) => {
        const folders = roots(config);
        if (folders.length === 0) return [];
        return [
          {
            reader: new LocalFileUrlReader(folders),
            predicate: (url: URL) => url.protocol === 'file:',
          },
        ];
      };
    },
  });
}
