import { createTestWorld, infisicalStore } from '../__testUtils__/testWorld';

/**
 * `endpoints()` feeds the backend's host allow-list for namespaced
 * SecretStores: it must name exactly where the provider's requests go.
 */
describe('InfisicalProvider.endpoints', () => {
  it.each([
    ['https://infisical.example.com', 'https://infisical.example.com/api'],
    ['https://infisical.example.com/api/', 'https://infisical.example.com/api'],
    [
      'https://infisical.internal.example:8443/api',
      'https://infisical.internal.example:8443/api',
    ],
    ['', 'https://app.infisical.com/api'],
  ])(
    'should name "%s" as %s, the base of every request the store makes',
    async (hostAPI, endpoint) => {
      const urls: string[] = [];
      const world = createTestWorld({
        provider: {
          fetch: async input => {
            urls.push(String(input instanceof Request ? input.url : input));
            throw new TypeError('fetch failed: offline test');
          },
          retry: { maxRetries: 0 },
        },
      });
      const store = infisicalStore({ hostAPI });

      const endpoints = world.provider.endpoints(store);
      await world.provider.validateStore(store, world.context);
      await world.provider.shutdown();

      expect(endpoints).toEqual([endpoint]);
      expect(urls.length).toBeGreaterThan(0);
      for (const url of urls) expect(url.startsWith(`${endpoint}/`)).toBe(true);
    },
  );
});
