import { createMockDirectory } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import express from 'express';
import git from 'isomorphic-git';
import fs from 'node:fs';
import request from 'supertest';
import { createDemoPublishLocalAction } from './demoPublishLocal';
import { demoRepositoriesRouter } from './demoRepositories';

const EXTERNAL_SECRET = `apiVersion: external-secrets.io/v1
kind: ExternalSecret
metadata:
  name: payments-api
spec:
  data:
    - secretKey: DB_PASSWORD
      remoteRef:
        key: /payments/DB_PASSWORD
`;

describe('demo:publish:local', () => {
  const workspace = createMockDirectory();
  const root = createMockDirectory();

  beforeEach(() => {
    workspace.setContent({
      'catalog-info.yaml': 'kind: Component\n',
      'kubernetes/externalsecret.yaml': EXTERNAL_SECRET,
      '.git/HEAD': 'ref: refs/heads/leftover\n',
    });
    root.clear();
  });

  async function publish(repoName: string) {
    const ctx = createMockActionContext({
      input: { repoName },
      workspacePath: workspace.path,
    });
    await createDemoPublishLocalAction({
      root: root.path,
      browseBaseUrl: 'http://localhost:7007/api/demo-repos',
    }).handler(ctx as never);
    return ctx;
  }

  it('keeps the created files after the task as a Git repository to clone, and names where to read them', async () => {
    const ctx = await publish('payments-api');

    const dir = root.resolve('payments-api');
    expect(ctx.output).toHaveBeenCalledWith('remoteUrl', dir);
    expect(ctx.output).toHaveBeenCalledWith(
      'browseUrl',
      'http://localhost:7007/api/demo-repos/payments-api/',
    );
    expect(ctx.output).toHaveBeenCalledWith('files', [
      'catalog-info.yaml',
      'kubernetes/externalsecret.yaml',
    ]);
    const [commit] = await git.log({ fs, dir });
    expect(commit.commit.message).toContain('Initial commit');
    const committed = await git.listFiles({ fs, dir, ref: 'main' });
    expect(committed.sort()).toEqual([
      'catalog-info.yaml',
      'kubernetes/externalsecret.yaml',
    ]);
    // The workspace's own .git is not copied over the new repository's.
    expect(await git.currentBranch({ fs, dir })).toBe('main');
  });

  it('never overwrites a repository published before', async () => {
    await publish('payments-api');
    workspace.setContent({ 'catalog-info.yaml': 'kind: Changed\n' });

    await expect(publish('payments-api')).rejects.toThrow(
      /demo repository "payments-api" already exists .*choose another name/,
    );
    expect(
      fs.readFileSync(root.resolve('payments-api/catalog-info.yaml'), 'utf8'),
    ).toBe('kind: Component\n');
  });

  it('refuses a name that is not one folder below the root', async () => {
    await expect(publish('../escape')).rejects.toThrow();
    expect(fs.existsSync(root.resolve('../escape'))).toBe(false);
  });

  describe('the read-only pages', () => {
    const app = () => {
      const server = express();
      server.use(demoRepositoriesRouter(root.path));
      server.use(
        (
          error: Error,
          _req: express.Request,
          res: express.Response,
          _next: express.NextFunction,
        ) => res.status(error.name === 'NotFoundError' ? 404 : 500).end(),
      );
      return server;
    };

    it('lists the published files and shows each one', async () => {
      await publish('payments-api');

      const list = await request(app()).get('/payments-api/');
      expect(list.status).toBe(200);
      expect(list.text).toContain(
        '<a href="kubernetes/externalsecret.yaml">kubernetes/externalsecret.yaml</a>',
      );
      const file = await request(app()).get(
        '/payments-api/kubernetes/externalsecret.yaml',
      );
      expect(file.status).toBe(200);
      expect(file.type).toBe('text/plain');
      expect(file.text).toContain('key: /payments/DB_PASSWORD');
    });

    it('serves nothing outside the published files', async () => {
      await publish('payments-api');

      for (const path of [
        '/payments-api/.git/HEAD',
        '/payments-api/%2e%2e/%2e%2e/etc/passwd',
        '/payments-api/no-such-file',
        '/other-repo/',
      ]) {
        expect((await request(app()).get(path)).status).toBe(404);
      }
    });
  });
});
