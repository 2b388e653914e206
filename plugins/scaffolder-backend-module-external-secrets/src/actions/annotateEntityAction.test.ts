import { createMockDirectory } from '@backstage/backend-test-utils';
import { JsonObject } from '@backstage/types';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { isExternalSecretsAvailable } from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import { parseAllDocuments } from 'yaml';
import { createAnnotateEntityAction } from './annotateEntityAction';

const workspace = createMockDirectory();

const CATALOG_INFO = `# The component created by the template
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: my-service
  annotations:
    github.com/project-slug: acme/my-service # kept
spec:
  type: service
  owner: team-a
  lifecycle: experimental
---
apiVersion: backstage.io/v1alpha1
kind: API
metadata:
  name: my-service-api
spec:
  type: openapi
`;

async function run(input: JsonObject) {
  const ctx = createMockActionContext({
    input,
    workspacePath: workspace.path,
  });
  const error = await createAnnotateEntityAction()
    .handler(ctx as never)
    .then(
      () => undefined,
      (e: Error) => e,
    );
  return { ctx, error };
}

function entities(): JsonObject[] {
  const text = workspace.content()?.['catalog-info.yaml'] as string;
  return parseAllDocuments(text as string).map(
    doc => (doc as { toJS(): JsonObject }).toJS() as JsonObject,
  );
}

describe('external-secrets:annotate', () => {
  beforeEach(() => {
    workspace.setContent({ 'catalog-info.yaml': CATALOG_INFO });
  });

  it('should add the linking annotations to the component, keeping comments and other documents', async () => {
    const { ctx, error } = await run({
      kubernetesId: 'my-service',
      namespace: 'my-namespace',
      manifests: ['./kubernetes/externalsecret-my-service.yaml'],
    });

    expect(error).toBeUndefined();
    const [component, api] = entities() as any[];
    const expected = {
      'backstage.io/kubernetes-id': 'my-service',
      'backstage.io/kubernetes-namespace': 'my-namespace',
      'external-secrets.io/manifests':
        './kubernetes/externalsecret-my-service.yaml',
    };
    expect(component.metadata.annotations).toEqual({
      'github.com/project-slug': 'acme/my-service',
      ...expected,
    });
    expect(isExternalSecretsAvailable(component)).toBe(true);
    expect(api.metadata.annotations).toBeUndefined();
    const text = workspace.content()?.['catalog-info.yaml'] as string;
    expect(text).toContain('# The component created by the template');
    expect(text).toContain('# kept');
    expect(ctx.output).toHaveBeenCalledWith('annotations', expected);
  });

  it('should annotate the entity named by entityName', async () => {
    await run({ entityName: 'my-service-api', kubernetesId: 'my-service' });

    const [component, api] = entities() as any[];
    expect(component.metadata.annotations).toEqual({
      'github.com/project-slug': 'acme/my-service',
    });
    expect(api.metadata.annotations).toEqual({
      'backstage.io/kubernetes-id': 'my-service',
    });
  });

  it.each([
    [{}, 'Nothing to annotate'],
    [{ kubernetesId: 'x', entityName: 'nope' }, 'no entity named "nope"'],
    [
      { kubernetesId: 'x', filePath: '../catalog-info.yaml' },
      'filePath "../catalog-info.yaml": must stay inside the workspace',
    ],
    [
      { kubernetesId: 'x', filePath: 'missing.yaml' },
      'missing.yaml does not exist in the workspace',
    ],
  ])(
    'should refuse %j with a clear message and leave the file as it was',
    async (input, message) => {
      const { error } = await run(input);

      expect(error?.name).toBe('InputError');
      expect(error?.message).toContain(message);
      expect(workspace.content()).toEqual({
        'catalog-info.yaml': CATALOG_INFO,
      });
    },
  );
});
