import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { NotFoundError } from '@backstage/errors';
import express from 'express';
import Router from 'express-promise-router';
import { readFile, stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { DEMO_REPO_NAME, listFiles } from './demoPublishLocal';

/**
 * The folder `demo:publish:local` creates repositories in:
 * `externalSecretsDemo.publish.root`, relative to the backend's working
 * directory, by default `.demo-repos` at the repository root. Undefined when
 * the demo is off.
 */
export function demoRepositoriesRoot(config: Config): string | undefined {
  const demo = config.getOptionalConfig('externalSecretsDemo');
  if (!demo?.getOptionalBoolean('enabled')) return undefined;
  return resolve(demo.getOptionalString('publish.root') ?? '../../.demo-repos');
}

/**
 * DEMO ONLY: serves the files of the repositories `demo:publish:local`
 * created, read-only, at `/api/demo-repos/<name>/` (a file list) and
 * `/api/demo-repos/<name>/<path>` (a file as text), so a template's output
 * links open them in the browser. Unauthenticated, as a Git host's public
 * repository page: they hold what a template generated (manifests, never
 * secret values). Off unless `externalSecretsDemo.enabled`.
 */
export const demoRepositories = createBackendPlugin({
  pluginId: 'demo-repos',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        httpRouter: coreServices.httpRouter,
      },
      async init({ config, httpRouter }) {
        const root = demoRepositoriesRoot(config);
        if (!root) return;
        httpRouter.use(demoRepositoriesRouter(root));
        httpRouter.addAuthPolicy({ path: '/', allow: 'unauthenticated' });
      },
    });
  },
});

export function demoRepositoriesRouter(root: string): express.Router {
  // strict: `/<name>` redirects to `/<name>/`, so the list's relative links work.
  const router = Router({ strict: true });
  router.get('/:repo', (req, res) => res.redirect(`${req.params.repo}/`));
  router.get('/:repo/*', async (req, res) => {
    const repoDir = repositoryDir(root, req.params.repo);
    const path = (req.params as Record<string, string>)[0] ?? '';
    if (path === '') {
      const files = await listFiles(repoDir).catch(() => []);
      res.type('html').send(fileList(req.params.repo, files));
      return;
    }
    const file = join(repoDir, path);
    const inside = relative(repoDir, file);
    if (
      inside.startsWith('..') ||
      inside.split(/[\\/]/).includes('.git') ||
      !(await stat(file).catch(() => undefined))?.isFile()
    ) {
      throw new NotFoundError(
        `no file "${path}" in demo repository "${req.params.repo}"`,
      );
    }
    res.type('text/plain; charset=utf-8').send(await readFile(file, 'utf8'));
  });
  return router;
}

function repositoryDir(root: string, repo: string): string {
  const dir = join(root, repo);
  if (!DEMO_REPO_NAME.test(repo)) {
    throw new NotFoundError(`no demo repository "${repo}"`);
  }
  return dir;
}

function fileList(repo: string, files: string[]): string {
  if (files.length === 0) {
    throw new NotFoundError(`no demo repository "${repo}"`);
  }
  const items = files
    .map(f => `<li><a href="${encodeURI(f)}">${escapeHtml(f)}</a></li>`)
    .join('');
  return `<!doctype html><title>${escapeHtml(repo)}</title><h1>${escapeHtml(
    repo,
  )}</h1><p>Demo repository (git clone it from the folder the template output names).</p><ul>${items}</ul>`;
}

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    c =>
      ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[
        c
      ]!),
  );
}
