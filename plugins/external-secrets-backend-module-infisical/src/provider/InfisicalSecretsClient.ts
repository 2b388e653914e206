import type { ExternalSecretFind } from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import type {
  KeyNameListing,
  RemoteSecret,
  SecretsClient,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-node';
import { closestNames } from '@external-secrets-backstage/backstage-plugin-external-secrets-node';
import { CycleReader, type ListScope } from './CycleReader';
import { keyNamesOf } from './keyNames';
import { evidenceOf } from './probeEvidence';
import {
  isWithinFolder,
  normalizeFolderPath,
  resolveSecretAddress,
  type SecretAddress,
} from './resolveSecretAddress';
import {
  entryFromWire,
  type ScopeSnapshot,
  type SnapshotEntry,
} from './ScopeSnapshot';
import {
  collectMatches,
  compileNameFilter,
  entryId,
  remoteOf,
} from './snapshotMatches';
import type { StoreSession } from './StoreSession';
import { tagSlugsFromFind } from './tagSlugsFromFind';
import {
  providerError,
  toProviderError,
  type ErrorContext,
} from './toProviderError';

/** A name no one gives a secret: reading it only tells whether its folder exists. */
const SCOPE_PROBE_NAME = 'EXTERNAL_SECRETS_SCOPE_CHECK_NOT_A_SECRET';

/**
 * The Infisical SecretsClient for ONE reconcile cycle of one store. Every
 * `getSecret` of keys in the store's scope is answered from one list call;
 * keys in other folders cost one list per folder; a key absent from its
 * folder's listing costs one single-secret read to tell "key missing" (with
 * the folder confirmed) from "folder missing".
 */
export class InfisicalSecretsClient implements SecretsClient {
  readonly #reader: CycleReader;

  constructor(private readonly session: StoreSession) {
    this.#reader = new CycleReader(session);
  }

  /** The scope read once per cycle; also what validateStore lists. */
  async readStoreScope(): Promise<ScopeSnapshot> {
    const scope = this.scopeList();
    try {
      return await this.#reader.list(scope);
    } catch (error) {
      throw toProviderError(
        error,
        this.session.errorContext(
          'listing the store scope',
          undefined,
          scope.folder,
        ),
      );
    }
  }

  /**
   * Proves that the scope's environment and folder exist. An unknown
   * environment or folder lists as 200 with no secrets (recorded), so an empty
   * listing proves nothing; the single-secret read of a name that is not there
   * says "Secret with name ... not found" when the folder exists and "Folder
   * with path ... not found" when it does not. The root folder exists in every
   * environment, so a missing root means a missing environment. (ESO's
   * Validate in providers/v1/infisical/client.go only lists, so it calls such
   * a store Ready; the recorded server showed why that is not enough.)
   */
  async confirmScopeExists(): Promise<void> {
    const {
      secretsPath: folder,
      environment,
      projectSlug,
    } = this.session.scope;
    const context = this.session.errorContext(
      'checking that the store scope exists',
      undefined,
      folder,
    );
    try {
      const atFolder = await this.#reader.probe(folder, SCOPE_PROBE_NAME);
      if (atFolder.kind !== 'folderMissing') return;
      const atRoot =
        folder === '/'
          ? atFolder
          : await this.#reader.probe('/', SCOPE_PROBE_NAME);
      const evidence = evidenceOf(atFolder, context);
      if (atRoot.kind === 'folderMissing') {
        throw providerError(
          'INVALID_CONFIG',
          `environment "${environment}" does not exist in project ${projectSlug} (${evidence.text})`,
          context,
          {
            ...evidence.details,
            hint: 'Fix spec.provider.infisical.secretsScope.environmentSlug (the environment slug, e.g. dev, staging, prod), or create the environment in Infisical.',
          },
        );
      }
      throw providerError(
        'FOLDER_NOT_FOUND',
        `folder "${folder}" does not exist in project ${projectSlug}, environment ${environment} (${evidence.text})`,
        context,
        {
          ...evidence.details,
          folderExists: false,
          hint: 'Create the folder in Infisical, or fix spec.provider.infisical.secretsScope.secretsPath.',
        },
      );
    } catch (error) {
      throw toProviderError(error, context);
    }
  }

  async getSecret(ref: {
    key: string;
    version?: string;
  }): Promise<RemoteSecret> {
    const address = resolveSecretAddress(
      this.session.scope.secretsPath,
      ref.key,
    );
    const context = this.session.errorContext(
      `reading key "${ref.key}"`,
      ref.key,
      address.folder,
    );
    try {
      if (ref.version) {
        throw providerError(
          'UNSUPPORTED',
          `remoteRef.version "${ref.version}" is not supported by the Infisical provider`,
          context,
        );
      }
      if (!address.name) {
        throw providerError(
          'INVALID_REQUEST',
          `key "${ref.key}" ends with "/" and names no secret`,
          context,
        );
      }
      const snapshot = await this.#reader.list(this.listFor(address.folder));
      const entry = snapshot.lookup(address.folder, address.name);
      if (entry) return this.toRemote(entry, context);
      return await this.resolveAbsent(address, context);
    } catch (error) {
      throw toProviderError(error, context);
    }
  }

  async findSecrets(
    find: ExternalSecretFind,
  ): Promise<Map<string, RemoteSecret>> {
    const scope = this.scopeList();
    const context = this.session.errorContext(
      'finding secrets (dataFrom.find)',
      undefined,
      scope.folder,
    );
    try {
      const tags = tagSlugsFromFind(find.tags);
      if ('invalid' in tags) {
        throw providerError(
          'UNSUPPORTED',
          `find.tags ${tags.invalid.join(
            ', ',
          )}: Infisical tags have no values; write each tag as {<tag slug>: ""}`,
          context,
        );
      }
      const name = compileNameFilter(find.name?.regexp, context);
      const snapshot = await this.#reader.list(scope);
      if (snapshot.size === 0 && this.#reader.emptied(scope)) {
        throw providerError(
          'UNAVAILABLE',
          `Infisical listed no secrets in ${scope.folder} although the previous read had some; the result is not used until an empty listing is seen twice in a row`,
          context,
        );
      }
      const tagged = await this.taggedEntries(snapshot, tags.slugs);
      const matches = (entry: SnapshotEntry) =>
        (!name || name.test(entry.key)) &&
        (find.path === undefined || entry.path.startsWith(find.path)) &&
        (!tagged || tagged.has(entryId(entry)));
      return collectMatches(snapshot, matches, context);
    } catch (error) {
      throw toProviderError(error, context);
    }
  }

  /**
   * The names of the secrets the reconciler can read through this store, as
   * `remoteRef.key` addresses them (see resolveSecretAddress): a bare name in
   * the scope folder, an absolute `/folder/NAME` anywhere else. ESO reads any
   * folder through an absolute key whatever `secretsPath` and `recursive`
   * say, so the listing is one recursive list from the environment's root
   * (cached with an ETag like every list). The absolute form reads the same
   * secret in every ESO version, where a relative `sub/NAME` needs v2.5+.
   * An identity that may not list the root gets the store scope only, marked
   * incomplete. Secrets whose value the identity may not read are left out.
   */
  async listKeyNames(): Promise<KeyNameListing> {
    const scopeFolder = normalizeFolderPath(this.session.scope.secretsPath);
    const root: ListScope = { folder: '/', recursive: true };
    const context = this.session.errorContext(
      'listing key names',
      undefined,
      '/',
    );
    try {
      const snapshot = await this.#reader.list(root);
      return { keys: keyNamesOf(snapshot, scopeFolder), complete: true };
    } catch (error) {
      const cause = toProviderError(error, context);
      if (cause.errorType !== 'PERMISSION_DENIED') throw cause;
      const scope = this.scopeList();
      const snapshot = await this.readStoreScope();
      const listed = `${scope.folder}${scope.recursive ? ' and below' : ''}`;
      return {
        keys: keyNamesOf(snapshot, scopeFolder),
        complete: false,
        incompleteReason: `the identity may not list the whole environment (${cause.message}); only ${listed} is listed. Keys in other folders can still be typed as /folder/KEY.`,
      };
    }
  }

  async close(): Promise<void> {
    this.#reader.clear();
  }

  /**
   * Entries carrying every tag of `slugs`, or undefined when no tag filter is
   * asked. Tags are matched on the scope's own listing (no extra call). An
   * instance that returns no tag data is asked once per tag with `tagSlugs`
   * (a single slug is unambiguous whatever Infisical does with several) and the
   * answers are intersected.
   */
  private async taggedEntries(
    snapshot: ScopeSnapshot,
    slugs: string[],
  ): Promise<Set<string> | undefined> {
    if (slugs.length === 0) return undefined;
    if (snapshot.hasTagData) {
      return new Set(
        snapshot.entries
          .filter(entry => slugs.every(slug => entry.tagSlugs?.includes(slug)))
          .map(entryId),
      );
    }
    const perTag = await Promise.all(
      slugs.map(slug =>
        this.#reader.list({ ...this.scopeList(), tagSlug: slug }),
      ),
    );
    const [first, ...rest] = perTag.map(
      tagged => new Set(tagged.entries.map(entryId)),
    );
    return new Set([...first].filter(id => rest.every(set => set.has(id))));
  }

  private async resolveAbsent(
    address: SecretAddress,
    context: ErrorContext,
  ): Promise<RemoteSecret> {
    const probe = await this.#reader.probe(address.folder, address.name);
    if (probe.kind === 'found') {
      // Found by name although the listing lacked it (e.g. through a subfolder's import).
      const entry = entryFromWire(
        { ...probe.secret, secretPath: address.folder },
        address.folder,
      );
      return this.toRemote(entry, context);
    }
    const { projectSlug, environment } = this.session.scope;
    const where = `project ${projectSlug}, environment ${environment}`;
    const evidence = evidenceOf(probe, context);
    if (probe.kind === 'keyMissing') {
      throw providerError(
        'KEY_NOT_FOUND',
        `key "${address.name}" does not exist in folder "${address.folder}" (${where}); Infisical confirmed that the folder exists (${evidence.text})`,
        context,
        {
          ...evidence.details,
          folderExists: true,
          similarKeys: await this.similarKeys(address, context.key),
          hint: await this.keyHint(address),
        },
      );
    }
    const cause =
      probe.kind === 'folderMissing'
        ? `folder "${address.folder}" does not exist (${where}; ${evidence.text})`
        : `key "${address.name}" was not found and Infisical did not confirm that folder "${address.folder}" exists (${where}; ${evidence.text})`;
    throw providerError('FOLDER_NOT_FOUND', cause, context, {
      ...evidence.details,
      folderExists: false,
      hint: 'Create the folder in Infisical, or fix the key path or spec.provider.infisical.secretsScope.secretsPath.',
    });
  }

  /**
   * Names in the key's folder one typo away from it ("did you mean"), written
   * as the key was (`/payments/DB_PASSWORD` for `/payments/DB_PASWORD`), so
   * each suggestion reads that secret; names only.
   */
  private async similarKeys(
    address: SecretAddress,
    key = address.name,
  ): Promise<string[]> {
    const covered = this.listFor(address.folder);
    const snapshot = await this.#reader.list(covered);
    const folderPart = key.slice(0, key.lastIndexOf('/') + 1);
    return closestNames(
      address.name,
      snapshot.entries
        .filter(entry => entry.path === address.folder && !entry.hidden)
        .map(entry => entry.key),
    ).map(name => `${folderPart}${name}`);
  }

  /** Points at the folders holding the key when the scope is recursive (a bare key reads only the scope folder, as in ESO). */
  private async keyHint(address: SecretAddress): Promise<string> {
    const base = 'Create the key in Infisical or fix remoteRef.key.';
    if (!this.session.scope.recursive) return base;
    const elsewhere = (await this.#reader.list(this.scopeList()))
      .foldersHolding(address.name)
      .filter(folder => folder !== address.folder);
    if (!elsewhere.length) return base;
    return `${base} The key exists in ${elsewhere.join(', ')}: address it as ${
      elsewhere[0] === '/' ? '' : elsewhere[0]
    }/${address.name}.`;
  }

  private toRemote(entry: SnapshotEntry, context: ErrorContext): RemoteSecret {
    if (entry.hidden) {
      throw providerError(
        'PERMISSION_DENIED',
        `the identity may list "${entry.key}" in ${entry.path} but not read its value (Infisical returned it hidden)`,
        context,
      );
    }
    return remoteOf(entry);
  }

  /** The scope folder's listing, or (outside a recursive scope) the key's own folder. */
  private listFor(folder: string): ListScope {
    const scope = this.scopeList();
    const covered =
      folder === scope.folder ||
      (scope.recursive && isWithinFolder(folder, scope.folder));
    return covered ? scope : { folder, recursive: false };
  }

  private scopeList(): ListScope {
    const { secretsPath, recursive } = this.session.scope;
    return { folder: secretsPath, recursive };
  }
}
