import { failingExternalSecret } from '../../__fixtures__/status';
import { keyMappingRows } from './keyMappingRows';

describe('keyMappingRows', () => {
  it('should give failing keys their message and reason, and synced keys none', () => {
    const es = failingExternalSecret();
    es.keys[1] = { ...es.keys[1], reason: 'SecretSynced', message: 'ok' };

    const rows = keyMappingRows([es]);

    expect(rows.map(row => [row.secretKey, row.reason])).toEqual([
      [
        'PAYMENT_TOKEN',
        'Infisical returned 404 for /orders/payment-token in environment dev (request id 4c1d) — RemoteKeyNotFound',
      ],
      [
        'WEBHOOK_SECRET',
        'SecretStore vault-local uses provider vault, which is not installed',
      ],
      ['ANALYTICS_KEY', ''],
    ]);
  });

  it('should name each row after its ExternalSecret, store and target', () => {
    const [row] = keyMappingRows([failingExternalSecret()]);

    expect(row).toMatchObject({
      state: 'error',
      remoteRef: 'infisical:/orders/payment-token',
      externalSecret: 'orders/orders-api-keys',
      cluster: 'dev-cluster',
      namespace: 'orders',
      targetSecret: 'orders-api-keys',
    });
  });
});
