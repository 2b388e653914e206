import { renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { CANARY, syncedExternalSecret } from '../../__fixtures__/status';
import { codeBlockTexts } from '../../__testUtils__/renderForEntity';
import { ExternalSecretManifest } from './ExternalSecretManifest';

describe('ExternalSecretManifest', () => {
  it('should show a copyable manifest of references and nothing else', async () => {
    await renderInTestApp(
      <ExternalSecretManifest externalSecret={syncedExternalSecret()} />,
    );

    const [yaml] = codeBlockTexts();
    expect(yaml).toContain('apiVersion: external-secrets.io/v1');
    expect(yaml).toContain('secretStoreRef:');
    expect(yaml).toContain('name: orders-db-credentials');
    expect(yaml).toContain('- secretKey: DB_PASSWORD');
    expect(yaml).toContain('key: /orders/db');
    expect(yaml).toContain('property: password');
    expect(document.body.textContent).not.toContain(CANARY);
    expect(
      screen.getByRole('button', { name: 'Copy text' }),
    ).toBeInTheDocument();
  });
});
