import { renderInTestApp } from '@backstage/test-utils';
import type { ExternalSecretState } from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import { screen } from '@testing-library/react';
import { ExternalSecretStateBadge, StoreReadyBadge } from './StateBadge';

describe('ExternalSecretStateBadge', () => {
  it.each<[ExternalSecretState, string, string]>([
    ['Synced', 'Synced', 'status-ok'],
    ['Error', 'Error', 'status-error'],
    ['Pending', 'Pending', 'status-pending'],
    ['NotFound', 'Not found', 'status-warning'],
    ['Unsupported', 'Unsupported', 'status-warning'],
  ])(
    'should show %s as the text "%s" next to the %s icon',
    async (state, text, icon) => {
      await renderInTestApp(<ExternalSecretStateBadge state={state} />);

      const badge = screen.getByText(text);
      expect(badge).not.toHaveAttribute('aria-hidden', 'true');
      expect(badge).not.toHaveAttribute('aria-label');
      expect(badge.querySelector(`[data-testid="${icon}"]`)).not.toBeNull();
    },
  );
});

describe('StoreReadyBadge', () => {
  it('should say "Not ready" for a store that failed validation', async () => {
    await renderInTestApp(<StoreReadyBadge ready={false} />);

    expect(screen.getByText('Not ready')).toBeInTheDocument();
    expect(screen.getByTestId('status-error')).toBeInTheDocument();
  });
});
