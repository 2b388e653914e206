import { expandSecretReferences } from './expandSecretReferences';

export type SimProject = {
  id: string;
  slug: string;
  name: string;
  environments: Set<string>;
};

type SecretRecord = {
  id: string;
  key: string;
  value: string;
  version: number;
  tags: string[];
};
type FolderRecord = {
  id: string;
  secrets: Map<string, SecretRecord>;
  imports: { environment: string; path: string }[];
};

/** How a secret appears on the wire (Infisical's raw secret shape). */
export type WireSecretOut = {
  id: string;
  _id: string;
  workspace: string;
  environment: string;
  version: number;
  type: 'shared';
  secretKey: string;
  secretValue: string;
  secretComment: string;
  secretPath: string;
  secretValueHidden: boolean;
  tags: { id: string; slug: string; name: string; color: string }[];
};

export type ReadOptions = { expand: boolean; readValue: boolean };

const HIDDEN_VALUE = '<hidden-by-infisical>';

/** Normalises a folder path as Infisical does: leading slash, no trailing slash. */
export function folderPath(path: string | undefined): string {
  const trimmed = (path ?? '/').trim().replace(/\/+$/, '');
  return trimmed.startsWith('/') ? trimmed || '/' : `/${trimmed}`;
}

/** Projects, environments, folders, secrets (with versions), imports and tags. */
export class SimulatorStore {
  readonly #projects = new Map<string, SimProject>();
  readonly #folders = new Map<string, FolderRecord>();
  #ids = 0;

  addProject(options: {
    slug: string;
    id?: string;
    name?: string;
    environments?: string[];
  }): SimProject {
    const project: SimProject = {
      id: options.id ?? `proj-${++this.#ids}`,
      slug: options.slug,
      name: options.name ?? options.slug,
      environments: new Set(options.environments ?? ['dev', 'staging', 'prod']),
    };
    this.#projects.set(project.id, project);
    for (const environment of project.environments)
      this.ensureFolder(project.id, environment, '/');
    return project;
  }

  projectBySlug(slug: string): SimProject | undefined {
    return [...this.#projects.values()].find(p => p.slug === slug);
  }

  projectById(id: string): SimProject | undefined {
    return this.#projects.get(id);
  }

  /** Creates the folder and its parents. */
  ensureFolder(projectId: string, environment: string, path: string): void {
    const segments = folderPath(path).split('/').filter(Boolean);
    for (let i = 0; i <= segments.length; i++) {
      const key = this.folderKey(
        projectId,
        environment,
        `/${segments.slice(0, i).join('/')}`,
      );
      if (!this.#folders.has(key)) {
        this.#folders.set(key, {
          id: `folder-${++this.#ids}`,
          secrets: new Map(),
          imports: [],
        });
      }
    }
  }

  deleteFolder(projectId: string, environment: string, path: string): void {
    const root = folderPath(path);
    for (const key of [...this.#folders.keys()]) {
      const [p, e, folder] = key.split('\u0000');
      if (
        p === projectId &&
        e === environment &&
        (folder === root || folder.startsWith(`${root}/`))
      ) {
        this.#folders.delete(key);
      }
    }
  }

  folderExists(projectId: string, environment: string, path: string): boolean {
    return this.#folders.has(
      this.folderKey(projectId, environment, folderPath(path)),
    );
  }

  /** Creates or updates a secret; returns its new version. */
  setSecret(
    projectId: string,
    environment: string,
    path: string,
    key: string,
    value: string,
    tags: string[] = [],
  ): number {
    this.ensureFolder(projectId, environment, path);
    const folder = this.folder(projectId, environment, path)!;
    const existing = folder.secrets.get(key);
    const version = (existing?.version ?? 0) + 1;
    folder.secrets.set(key, {
      id: existing?.id ?? `secret-${++this.#ids}`,
      key,
      value,
      version,
      tags,
    });
    return version;
  }

  /** A secret's value and version (for assertions; never on the wire). */
  peekSecret(
    projectId: string,
    environment: string,
    path: string,
    key: string,
  ): { value: string; version: number } | undefined {
    const secret = this.folder(projectId, environment, path)?.secrets.get(key);
    return secret && { value: secret.value, version: secret.version };
  }

  deleteSecret(
    projectId: string,
    environment: string,
    path: string,
    key: string,
  ): void {
    this.folder(projectId, environment, path)?.secrets.delete(key);
  }

  addImport(
    projectId: string,
    environment: string,
    path: string,
    from: { environment: string; path: string },
  ): void {
    this.ensureFolder(projectId, environment, path);
    this.folder(projectId, environment, path)!.imports.push({
      environment: from.environment,
      path: folderPath(from.path),
    });
  }

  /** Folder paths at `path` (and below it when recursive) that exist. */
  foldersIn(
    projectId: string,
    environment: string,
    path: string,
    recursive: boolean,
  ): string[] {
    const root = folderPath(path);
    const prefix = `${projectId}\u0000${environment}\u0000`;
    return [...this.#folders.keys()]
      .filter(key => key.startsWith(prefix))
      .map(key => key.slice(prefix.length))
      .filter(folder =>
        recursive
          ? folder === root || root === '/' || folder.startsWith(`${root}/`)
          : folder === root,
      )
      .sort();
  }

  /** Direct subfolder names of `path`. */
  subfolders(projectId: string, environment: string, path: string): string[] {
    const root = folderPath(path);
    return this.foldersIn(projectId, environment, root, true)
      .filter(folder => folder !== root)
      .map(folder => folder.slice(root === '/' ? 1 : root.length + 1))
      .filter(rest => !rest.includes('/'));
  }

  /** Local secrets of one folder, on the wire. */
  secretsOf(
    project: SimProject,
    environment: string,
    path: string,
    options: ReadOptions,
  ): WireSecretOut[] {
    const folder = this.folder(project.id, environment, path);
    return [...(folder?.secrets.values() ?? [])]
      .sort((a, b) => a.key.localeCompare(b.key))
      .map(secret =>
        this.toWire(project, environment, folderPath(path), secret, options),
      );
  }

  /** The folder's imports with their secrets, in import order. */
  importsOf(
    project: SimProject,
    environment: string,
    path: string,
    options: ReadOptions,
  ) {
    const folder = this.folder(project.id, environment, path);
    return (folder?.imports ?? []).map(source => ({
      secretPath: source.path,
      environment: source.environment,
      folderId: this.folder(project.id, source.environment, source.path)?.id,
      secrets: this.secretsOf(
        project,
        source.environment,
        source.path,
        options,
      ),
    }));
  }

  /** One secret by name: local first, then the imports from last to first (as Infisical does). */
  findSecret(
    project: SimProject,
    environment: string,
    path: string,
    key: string,
    options: ReadOptions & { includeImports: boolean },
  ): WireSecretOut | undefined {
    const local = this.secretsOf(project, environment, path, options).find(
      s => s.secretKey === key,
    );
    if (local || !options.includeImports) return local;
    const imports = this.importsOf(
      project,
      environment,
      path,
      options,
    ).reverse();
    for (const block of imports) {
      const found = block.secrets.find(s => s.secretKey === key);
      if (found) return found;
    }
    return undefined;
  }

  private toWire(
    project: SimProject,
    environment: string,
    path: string,
    secret: SecretRecord,
    options: ReadOptions,
  ): WireSecretOut {
    const value = options.expand
      ? expandSecretReferences(
          secret.value,
          { environment, folder: path },
          (env, folder, key) =>
            this.folder(project.id, env, folder)?.secrets.get(key)?.value,
        )
      : secret.value;
    return {
      id: secret.id,
      _id: secret.id,
      workspace: project.id,
      environment,
      version: secret.version,
      type: 'shared',
      secretKey: secret.key,
      secretValue: options.readValue ? value : HIDDEN_VALUE,
      secretComment: '',
      secretPath: path,
      secretValueHidden: !options.readValue,
      tags: secret.tags.map(slug => ({
        id: `tag-${slug}`,
        slug,
        name: slug,
        color: '#000000',
      })),
    };
  }

  private folder(
    projectId: string,
    environment: string,
    path: string,
  ): FolderRecord | undefined {
    return this.#folders.get(
      this.folderKey(projectId, environment, folderPath(path)),
    );
  }

  private folderKey(
    projectId: string,
    environment: string,
    path: string,
  ): string {
    return `${projectId}\u0000${environment}\u0000${path}`;
  }
}
