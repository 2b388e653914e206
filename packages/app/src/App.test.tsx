import { render, screen } from '@testing-library/react';
import App from './App';

describe('App', () => {
  it('should start and show the sign-in page titled with app.title', async () => {
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

    render(App.createRoot());

    // Without a signed-in user the app opens on its sign-in page, titled
    // with app.title: an app that fails to start shows an error instead.
    expect(
      await screen.findByRole('heading', { name: 'Test' }, { timeout: 15_000 }),
    ).toBeInTheDocument();
    expect(screen.getByText(/Enter as a Guest User/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Enter' })).toBeEnabled();
  }, 30_000);
});
