import { renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { ExternalSecretStateBadge } from './StateBadge';

/**
 * Observe mode (issue #17 item 21): the backend reports ESO's Ready=True with
 * the target not yet visible as reason WaitingForTarget, and a Ready status
 * older than refreshInterval plus slack as reason Stale; the card says so.
 */
describe('ExternalSecretStateBadge in observe mode', () => {
  it('should show "Waiting" for a Pending state whose reason is WaitingForTarget', async () => {
    await renderInTestApp(
      <ExternalSecretStateBadge state="Pending" reason="WaitingForTarget" />,
    );
    expect(screen.getByText('Waiting')).toBeInTheDocument();
    expect(screen.queryByText('Not found')).not.toBeInTheDocument();
  });

  it('should show "Stale" with a warning for a Synced state whose reason is Stale', async () => {
    await renderInTestApp(
      <ExternalSecretStateBadge state="Synced" reason="Stale" />,
    );
    expect(screen.getByText('Stale')).toBeInTheDocument();
    expect(screen.getByTestId('status-warning')).toBeInTheDocument();
    expect(screen.queryByText('Synced')).not.toBeInTheDocument();
  });
});
