import { fireEvent, render, screen } from '@testing-library/react';
import App from './App';

function useTestConfig() {
  process.env = {
    NODE_ENV: 'test',
    APP_CONFIG: [
      {
        data: {
          app: { title: 'Test' },
          backend: { baseUrl: 'http://localhost:7007' },
          techdocs: {
            storageUrl: 'http://localhost:7007/api/techdocs/static/docs',
          },
        },
        context: 'test',
      },
    ] as any,
  };
}

describe('App', () => {
  afterEach(() => {
    jest.restoreAllMocks();
    window.history.pushState({}, '', '/');
  });

  it('should start and show the sign-in page titled with app.title', async () => {
    useTestConfig();

    render(App.createRoot());

    // Without a signed-in user the app opens on its sign-in page, titled
    // with app.title: an app that fails to start shows an error instead.
    expect(
      await screen.findByRole('heading', { name: 'Test' }, { timeout: 15_000 }),
    ).toBeInTheDocument();
    expect(screen.getByText(/Enter as a Guest User/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Enter' })).toBeEnabled();
  }, 30_000);

  // The sign-in page is the app's bootstrap tree: plugins are wired only
  // after sign-in, so this is where a broken feature list shows.
  it('should open the External Secrets page for a guest once signed in', async () => {
    useTestConfig();
    window.history.pushState({}, '', '/external-secrets');
    // No auth backend here: the guest sign-in offers the legacy guest token.
    jest.spyOn(window, 'confirm').mockReturnValue(true);
    jest.spyOn(console, 'warn').mockImplementation(() => {});
    // Hermetic: no request leaves the test (a portal may run on 7007).
    jest
      .spyOn(global, 'fetch')
      .mockRejectedValue(
        new TypeError('fetch failed (no backend in this test)'),
      );

    render(App.createRoot());
    fireEvent.click(
      await screen.findByRole('button', { name: 'Enter' }, { timeout: 15_000 }),
    );

    // The page itself, whatever its API answers (no backend here).
    expect(
      await screen.findByText(
        'ExternalSecrets across the catalog',
        {},
        { timeout: 15_000 },
      ),
    ).toBeVisible();
    expect(screen.queryByText(/PAGE NOT FOUND/)).not.toBeInTheDocument();
  }, 40_000);
});
