import type { SimError, SimulatorAuth } from './SimulatorAuth';
import { projectSlugNotFound } from './SimulatorReads';
import { folderPath, type SimulatorStore } from './SimulatorStore';
import type { SimulatorRoute } from './types';

type WriteAnswer = { status: 200; body: unknown } | SimError;

const VERB = {
  createSecretV3: 'create',
  updateSecretV3: 'edit',
  deleteSecretV3: 'delete',
} as const;

/**
 * The v3 write routes ESO's client uses for PushSecret
 * (`POST/PATCH/DELETE /api/v3/secrets/raw/:name`, body `{workspaceId |
 * workspaceSlug, environment, secretPath, secretValue}`). They change the
 * store for real, so a test can never see success for a write that did not
 * happen. A viewer (a grant without `write`) gets the recorded 403.
 */
export class SimulatorWrites {
  constructor(
    private readonly store: SimulatorStore,
    private readonly auth: SimulatorAuth,
  ) {}

  write(
    route: SimulatorRoute,
    name: string,
    body: Record<string, unknown>,
    identityId: string,
  ): WriteAnswer {
    const verb = VERB[route as keyof typeof VERB];
    const workspaceId = stringField(body.workspaceId);
    const project = workspaceId
      ? this.store.projectById(workspaceId)
      : this.store.projectBySlug(stringField(body.workspaceSlug) ?? '');
    if (!project && !workspaceId) return projectSlugNotFound();
    if (!project) {
      return {
        status: 404,
        error: 'NotFound',
        message: `Project with ID '${workspaceId}' not found`,
      };
    }
    const environment = stringField(body.environment) ?? '';
    const path = folderPath(stringField(body.secretPath) ?? '/');
    const allowed = this.auth
      .grantsOf(identityId)
      .some(
        g =>
          g.projectId === project.id &&
          g.write &&
          (!g.environments || g.environments.has(environment)),
      );
    if (!allowed) {
      return {
        status: 403,
        error: 'PermissionDenied',
        message: `You are not allowed to ${verb} on secrets`,
      };
    }
    if (!this.store.folderExists(project.id, environment, path)) {
      return {
        status: 404,
        error: 'NotFound',
        message: `Folder with path '${path}' in environment with slug '${environment}' not found`,
      };
    }
    const existing = this.store.peekSecret(project.id, environment, path, name);
    if (verb === 'create' && existing) {
      return {
        status: 400,
        error: 'BadRequest',
        message: 'Secret already exist',
      };
    }
    if (verb !== 'create' && !existing) {
      return {
        status: 404,
        error: 'NotFound',
        message: `Secret with name '${name}' not found`,
      };
    }
    if (verb === 'delete') {
      const [before] = this.wire(project.id, environment, path, name);
      this.store.deleteSecret(project.id, environment, path, name);
      return { status: 200, body: { secret: before } };
    }
    const value = body.secretValue;
    if (typeof value !== 'string') {
      return {
        status: 422,
        error: 'ValidationFailure',
        message: [
          {
            code: 'invalid_type',
            expected: 'string',
            path: ['secretValue'],
            message: 'Required',
          },
        ],
      };
    }
    this.store.setSecret(project.id, environment, path, name, value);
    const [after] = this.wire(project.id, environment, path, name);
    return { status: 200, body: { secret: after } };
  }

  private wire(
    projectId: string,
    environment: string,
    path: string,
    name: string,
  ) {
    const project = this.store.projectById(projectId)!;
    return this.store
      .secretsOf(project, environment, path, { expand: false, readValue: true })
      .filter(secret => secret.secretKey === name);
  }
}

function stringField(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
