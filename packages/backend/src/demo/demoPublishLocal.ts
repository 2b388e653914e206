import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import git from 'isomorphic-git';
import fs from 'node:fs';
import { cp, readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

/** A repository name the demo accepts: also a safe single path segment. */
export const DEMO_REPO_NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/**
 * DEMO ONLY: the `demo:publish:local` scaffolder action. The demo has no Git
 * host, so a template "publishes" the task workspace as a new Git repository
 * in a local folder (`externalSecretsDemo.publish.root`), where the files
 * outlive the task: `git clone <root>/<name>` works offline, and the demo
 * backend shows the files at `browseUrl` (see demoRepositories.ts). It never
 * overwrites: a second run with the same name fails. Production templates use
 * `publish:github` (or another host's publish action) instead.
 */
export function createDemoPublishLocalAction(options: {
  /** Absolute folder the repositories are created in. */
  root: string;
  /** Base URL where the demo backend serves the repositories' files. */
  browseBaseUrl: string;
}) {
  return createTemplateAction({
    id: 'demo:publish:local',
    description:
      'DEMO ONLY: commits the workspace to a new Git repository in a local folder and returns where to browse it.',
    schema: {
      input: {
        repoName: z =>
          z
            .string()
            .regex(DEMO_REPO_NAME)
            .describe('Name of the repository (a folder below the root)'),
        sourcePath: z =>
          z
            .string()
            .optional()
            .describe('Workspace subdirectory to publish (default: all)'),
      },
      output: {
        remoteUrl: z => z.string().describe('Local path to git clone'),
        browseUrl: z => z.string().describe('Where the files can be read'),
        files: z =>
          z.array(z.string()).describe('Published file paths, sorted'),
        commitHash: z => z.string(),
      },
    },
    async handler(ctx) {
      const { repoName } = ctx.input;
      if (!DEMO_REPO_NAME.test(repoName)) {
        throw new Error(
          `repoName "${repoName}" must be lowercase letters, digits and dashes (one folder below ${options.root})`,
        );
      }
      const source = ctx.input.sourcePath
        ? resolveInside(ctx.workspacePath, ctx.input.sourcePath)
        : ctx.workspacePath;
      const dir = join(options.root, repoName);
      if (fs.existsSync(dir)) {
        throw new Error(
          `demo repository "${repoName}" already exists at ${dir}; choose another name or delete that folder`,
        );
      }
      await cp(source, dir, {
        recursive: true,
        filter: path => !relative(source, path).split(sep).includes('.git'),
      });
      const files = await listFiles(dir);
      await git.init({ fs, dir, defaultBranch: 'main' });
      for (const filepath of files) await git.add({ fs, dir, filepath });
      const author = { name: 'Backstage demo', email: 'demo@example.com' };
      const commitHash = await git.commit({
        fs,
        dir,
        message: `Initial commit by the ${
          ctx.templateInfo?.entityRef ?? 'scaffolder'
        } template`,
        author,
      });
      ctx.logger.info(
        `Published ${files.length} files to ${dir} (commit ${commitHash})`,
      );
      ctx.output('remoteUrl', dir);
      ctx.output('browseUrl', `${options.browseBaseUrl}/${repoName}/`);
      ctx.output('files', files);
      ctx.output('commitHash', commitHash);
    },
  });
}

function resolveInside(base: string, path: string): string {
  const resolved = join(base, path);
  if (relative(base, resolved).startsWith('..')) {
    throw new Error(`sourcePath "${path}" leaves the workspace`);
  }
  return resolved;
}

/** Paths of the files below `dir`, relative, with `/`, sorted; no `.git`. */
export async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter(entry => entry.isFile())
    .map(entry =>
      relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/'),
    )
    .filter(path => !path.split('/').includes('.git'))
    .sort();
}
