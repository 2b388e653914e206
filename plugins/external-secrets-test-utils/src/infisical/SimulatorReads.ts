import type { SimError, SimulatorAuth } from './SimulatorAuth';
import {
  folderPath,
  type SimProject,
  type SimulatorStore,
} from './SimulatorStore';
import type { SimulatorRoute } from './types';

/** A successful read, or an Infisical error to send. */
export type Answer = { status: 200; body: unknown } | SimError;

/**
 * The authorised read routes: project by slug, secret lists (v4 and v3),
 * single secrets and folders, with project and environment permissions.
 */
export class SimulatorReads {
  constructor(
    private readonly store: SimulatorStore,
    private readonly auth: SimulatorAuth,
    private readonly options: {
      tagSlugsMode: 'any' | 'all';
      listTags: boolean;
      /** The 2024-10 build: an unknown slug fails in the database layer (500). */
      slugLookupFailsWith500: boolean;
    },
  ) {}

  read(
    routed: { route: SimulatorRoute; params: Record<string, string> },
    query: URLSearchParams,
    identityId: string,
  ): Answer {
    if (
      routed.route === 'getProjectBySlug' ||
      routed.route === 'getWorkspaceBySlug' ||
      routed.route === 'getWorkspaceV2'
    ) {
      return this.projectBySlug(routed.params.slug, identityId);
    }
    return this.scoped(routed, query, identityId);
  }

  private projectBySlug(slug: string, identityId: string): Answer {
    const project = this.store.projectBySlug(slug);
    if (!project && this.options.slugLookupFailsWith500)
      return projectSlugNotFound();
    if (!project) {
      return {
        status: 404,
        error: 'NotFound',
        message: `Project with slug '${slug}' not found`,
      };
    }
    const denied = this.permission(identityId, project);
    if (denied) return denied;
    return {
      status: 200,
      body: {
        id: project.id,
        slug: project.slug,
        name: project.name,
        environments: [...project.environments].map(env => ({
          slug: env,
          name: env,
        })),
      },
    };
  }

  /** Reads inside one project and environment (v4 by id, v3 by slug). */
  private scoped(
    routed: { route: SimulatorRoute; params: Record<string, string> },
    query: URLSearchParams,
    identityId: string,
  ): Answer {
    const v3 =
      routed.route === 'listSecretsV3' || routed.route === 'getSecretV3';
    const workspaceId = query.get('workspaceId');
    const project =
      v3 && !workspaceId
        ? this.store.projectBySlug(query.get('workspaceSlug') ?? '')
        : this.store.projectById(
            (v3 ? workspaceId : query.get('projectId')) ?? '',
          );
    // Recorded (2024-10 build): an unknown workspaceSlug is a 500 from the database layer.
    if (!project && v3 && !workspaceId) return projectSlugNotFound();
    if (!project) {
      return {
        status: 404,
        error: 'NotFound',
        message: `Project with ${v3 ? 'slug' : 'ID'} '${
          query.get(v3 ? 'workspaceSlug' : 'projectId') ?? ''
        }' not found`,
      };
    }
    const environment = query.get('environment') ?? '';
    const denied = this.permission(identityId, project, environment);
    if (denied) return denied;
    const path = folderPath(
      query.get('secretPath') ?? query.get('path') ?? '/',
    );
    const options = {
      expand: query.get('expandSecretReferences') === 'true',
      readValue: this.auth
        .grantsOf(identityId)
        .some(g => g.projectId === project.id && g.readValue),
    };
    const includeImports = query.get('include_imports') === 'true';
    switch (routed.route) {
      case 'listFolders':
        return {
          status: 200,
          body: {
            folders: this.store
              .subfolders(project.id, environment, path)
              .map(name => ({ id: `${path}/${name}`, name })),
          },
        };
      case 'listSecretsV4':
      case 'listSecretsV3':
        return this.list(project, environment, path, query, {
          ...options,
          includeImports,
        });
      default:
        return this.getOne(project, environment, path, routed.params.name, {
          ...options,
          includeImports,
        });
    }
  }

  private list(
    project: SimProject,
    environment: string,
    path: string,
    query: URLSearchParams,
    options: { expand: boolean; readValue: boolean; includeImports: boolean },
  ): Answer {
    // Recorded: an unknown environment or folder lists as 200, always with `imports`.
    if (!this.store.folderExists(project.id, environment, path))
      return { status: 200, body: { secrets: [], imports: [] } };
    const recursive = query.get('recursive') === 'true';
    const tagSlugs = (query.get('tagSlugs') ?? '')
      .split(',')
      .map(s => s.trim())
      .filter(Boolean);
    const secrets = this.store
      .foldersIn(project.id, environment, path, recursive)
      .flatMap(folder =>
        this.store.secretsOf(project, environment, folder, options),
      )
      .filter(secret => {
        if (!tagSlugs.length) return true;
        const has = (slug: string) =>
          secret.tags.some(tag => tag.slug === slug);
        return this.options.tagSlugsMode === 'all'
          ? tagSlugs.every(has)
          : tagSlugs.some(has);
      });
    const body: Record<string, unknown> = {
      secrets: this.options.listTags
        ? secrets
        : secrets.map(({ tags: _tags, ...rest }) => rest),
    };
    if (options.includeImports)
      body.imports = this.store.importsOf(project, environment, path, options);
    return { status: 200, body };
  }

  private getOne(
    project: SimProject,
    environment: string,
    path: string,
    name: string,
    options: { expand: boolean; readValue: boolean; includeImports: boolean },
  ): Answer {
    if (!this.store.folderExists(project.id, environment, path)) {
      return {
        status: 404,
        error: 'GetSecretByName',
        message: `Folder with path '${path}' in environment with slug '${environment}' not found`,
      };
    }
    const secret = this.store.findSecret(
      project,
      environment,
      path,
      name,
      options,
    );
    if (!secret)
      return {
        status: 404,
        error: 'NotFound',
        message: `Secret with name '${name}' not found`,
      };
    return { status: 200, body: { secret } };
  }

  /** Project membership and environment rules, as a 403 PermissionDenied with CASL-like details. */
  private permission(
    identityId: string,
    project: SimProject,
    environment?: string,
  ): SimError | undefined {
    const grants = this.auth
      .grantsOf(identityId)
      .filter(g => g.projectId === project.id);
    if (!grants.length) {
      return {
        status: 403,
        error: 'PermissionDenied',
        message: 'You are not allowed to read on secrets',
        details: [],
      };
    }
    if (
      !environment ||
      grants.some(g => !g.environments || g.environments.has(environment))
    )
      return undefined;
    return {
      status: 403,
      error: 'PermissionDenied',
      message: 'You are not allowed to read on secrets',
      details: grants.map(g => ({
        action: 'read',
        inverted: false,
        subject: 'secrets',
        conditions: { environment: { $in: [...(g.environments ?? [])] } },
      })),
    };
  }
}

/** What the recorded 2024-10 build answers for an unknown project slug. */
export function projectSlugNotFound(): SimError {
  return {
    status: 500,
    error: 'Failed to find project by slug',
    message: 'Something went wrong',
  };
}
